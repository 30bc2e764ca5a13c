"""The admin is the secretariat's: staff status alone (or model permissions given by hand) does
not open it, so the admin answers to the same permission module as every other write path."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from interculture.accounts import permissions


class SecretariatAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return bool(super().has_permission(request)) and permissions.is_secretariat(request.user)
