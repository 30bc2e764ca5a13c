from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "interculture.accounts"
    verbose_name = "Accounts and roles"
