from django.core.management.base import BaseCommand

from interculture.accounts.services import DEMO_PASSWORD
from interculture.site.demo import load_demo


class Command(BaseCommand):
    help = "Load the demo data: questionnaires, Hämeenlinna (real) and the synthetic sample. Idempotent."

    def handle(self, *args: object, **options: object) -> None:
        summary = load_demo()
        self.stdout.write(
            f"Loaded {summary['questionnaires']} questionnaire version(s), "
            f"{summary['real_cities']} real city, {summary['synthetic_cities']} SYNTHETIC sample cities "
            f"and {summary['practices']} practices."
        )
        if summary["demo_users"]:
            self.stdout.write(
                f"Demo accounts (development only), password {DEMO_PASSWORD!r}: "
                + ", ".join(summary["demo_users"])
            )
