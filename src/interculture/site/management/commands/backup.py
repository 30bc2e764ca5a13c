"""`interculture backup FILE`: the database and the uploaded documents in one archive.

Here (not in a lower app) because a restore rebuilds the practice search index."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from interculture.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a backup archive (database, uploaded documents, manifest); safe while the app runs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="archive to write, e.g. interculture-2025-01-31.tar.gz")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"backed up the {manifest['engine']} database and {manifest['media_files']} document(s) "
            f"to {options['file']}"
        )
