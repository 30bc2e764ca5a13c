from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):  # type: ignore[no-untyped-def]
    # The table of Django's database cache (settings.CACHES), made here so that `migrate` alone
    # prepares a new install; createcachetable skips a table that exists.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_password_reset_limits_axes_throttle")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
