"""Fact sheets use interculture.versioning: a version row's number/author/comment/created_at
become version/changed_by/note/changed_at (the data moves with the renames), it gains the
`changes` of the history format, and a practice records who changed it last."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def state_changes(apps, schema_editor):  # type: ignore[no-untyped-def]
    """The state moves of the existing versions, in the history format."""
    PracticeVersion = apps.get_model("practices", "PracticeVersion")
    previous: dict[int, str | None] = {}
    rows = []
    for row in PracticeVersion.objects.order_by("practice_id", "version").iterator(chunk_size=2000):
        before = previous.get(row.practice_id)
        if before != row.state:
            row.changes = {"state": [before, row.state]}
            rows.append(row)
        previous[row.practice_id] = row.state
    PracticeVersion.objects.bulk_update(rows, ["changes"], batch_size=2000)


def last_change(apps, schema_editor):  # type: ignore[no-untyped-def]
    Practice = apps.get_model("practices", "Practice")
    PracticeVersion = apps.get_model("practices", "PracticeVersion")
    latest = PracticeVersion.objects.filter(practice=models.OuterRef("pk")).order_by("-version")
    Practice.objects.filter(models.Exists(latest)).update(
        updated_by=models.Subquery(latest.values("changed_by")[:1])
    )


USER = models.ForeignKey(
    blank=True,
    null=True,
    on_delete=django.db.models.deletion.SET_NULL,
    related_name="+",
    to=settings.AUTH_USER_MODEL,
)


class Migration(migrations.Migration):
    dependencies = [
        ("practices", "0006_topic_embeddings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="practiceversion", name="one_practice_version_number"),
        migrations.RenameField(model_name="practiceversion", old_name="number", new_name="version"),
        migrations.RenameField(model_name="practiceversion", old_name="author", new_name="changed_by"),
        migrations.RenameField(model_name="practiceversion", old_name="comment", new_name="note"),
        migrations.RenameField(model_name="practiceversion", old_name="created_at", new_name="changed_at"),
        migrations.AlterField(model_name="practiceversion", name="changed_by", field=USER),
        migrations.AlterField(
            model_name="practiceversion",
            name="version",
            field=models.PositiveIntegerField(help_text="The object's version after this change."),
        ),
        migrations.AddField(
            model_name="practiceversion",
            name="changes",
            field=models.JSONField(blank=True, default=dict, help_text="{field: [old, new]}"),
        ),
        migrations.AddConstraint(
            model_name="practiceversion",
            constraint=models.UniqueConstraint(
                fields=("practice", "version"), name="one_practice_version_number"
            ),
        ),
        migrations.AlterModelOptions(name="practiceversion", options={"ordering": ["practice", "-version"]}),
        migrations.AddField(model_name="practice", name="updated_by", field=USER),
        migrations.AlterField(
            model_name="practice",
            name="version",
            field=models.PositiveIntegerField(
                default=1, help_text="Raised on every change (optimistic locking)."
            ),
        ),
        migrations.AlterField(
            model_name="practice",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, help_text="When it last changed."),
        ),
        migrations.RunPython(state_changes, migrations.RunPython.noop),
        migrations.RunPython(last_change, migrations.RunPython.noop),
    ]
