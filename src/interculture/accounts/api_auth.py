"""API authentication: a personal bearer token, or the browser's session for reading.

Writes need a token: a session cookie alone would let another site post on the person's
behalf (the API has no CSRF token), so a write without a token counts as anonymous.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer

from interculture.accounts import services
from interculture.accounts.types import User

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class TokenOrSession(HttpBearer):
    def __call__(self, request: Any) -> Any:
        if request.headers.get("Authorization"):
            return super().__call__(request)  # a bad or unknown token is a 401, never anonymous
        if request.method in SAFE_METHODS:
            return request.user
        request.user = AnonymousUser()  # the views act as request.user, not as request.auth
        return request.user

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = services.user_for_token(token)
        if user is not None:
            request.user = user
        return user
