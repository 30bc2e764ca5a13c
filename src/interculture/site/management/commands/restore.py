"""`interculture restore FILE`: put back a backup made by `interculture backup`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interculture.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded documents by a backup's, then rebuild the search "
        "index. The archive is checked first; a file that is not a backup changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="an archive written by `interculture backup`")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"restored the {manifest['engine']} database of {manifest['created']} and "
            f"{manifest['media_files']} document(s); {manifest['indexed_practices']} practice(s) indexed"
        )
