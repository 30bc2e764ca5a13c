"""The full-text index: FTS5 on SQLite, a GIN expression index on PostgreSQL (see search.py)."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE_CREATE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS practices_fts USING fts5("
    "en, fi, sv, other, tokenize = 'unicode61 remove_diacritics 0')"
)
PG_CREATE = (
    "CREATE INDEX IF NOT EXISTS practices_text_search ON practices_practicetext USING GIN (("
    "to_tsvector('english', text_en) || to_tsvector('finnish', text_fi) || "
    "to_tsvector('swedish', text_sv) || to_tsvector('simple', text_other)))"
)


def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        schema_editor.execute(PG_CREATE)


def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS practices_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS practices_text_search")


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
