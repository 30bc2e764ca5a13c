import uuid

from django.db import migrations, models


def give_each_version_an_id(apps, schema_editor):  # type: ignore[no-untyped-def]
    ReportVersion = apps.get_model("reports", "ReportVersion")
    for version in ReportVersion.objects.only("pk"):
        version.public_id = uuid.uuid4()
        version.save(update_fields=["public_id"])


class Migration(migrations.Migration):
    """Published versions are addressed by a random id rather than their sequential key."""

    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="reportversion", name="public_id", field=models.UUIDField(null=True, editable=False)
        ),
        migrations.RunPython(give_each_version_an_id, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="reportversion",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, unique=True, editable=False),
        ),
    ]
