from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "interculture.accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        # The project's own system checks (the lowest app registers them, once).
        # In ready(): the checks register once the app registry is loaded.
        from interculture import checks  # noqa: F401
