"""The admin's app config, kept apart from the site: Django imports it before the models exist."""

from django.contrib.admin.apps import AdminConfig


class SecretariatAdminConfig(AdminConfig):
    default_site = "interculture.accounts.admin_site.SecretariatAdminSite"
