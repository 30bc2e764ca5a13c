"""Actions use interculture.versioning: who and when of their history as changed_by/changed_at, a note,
one row per version, and updated_at/updated_by of the last change."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def last_change_time(apps, schema_editor):  # type: ignore[no-untyped-def]
    """updated_at is the time of the last change, and who made it."""
    Action = apps.get_model("pathway", "Action")
    ActionChange = apps.get_model("pathway", "ActionChange")
    latest = ActionChange.objects.filter(action=models.OuterRef("pk")).order_by("-version")
    Action.objects.filter(models.Exists(latest)).update(
        updated_at=models.Subquery(latest.values("changed_at")[:1]),
        updated_by=models.Subquery(latest.values("changed_by")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("pathway", "0002_recommendation_decision"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name="actionchange",
            old_name="at",
            new_name="changed_at",
        ),
        migrations.RenameField(
            model_name="actionchange",
            old_name="user",
            new_name="changed_by",
        ),
        migrations.AddField(
            model_name="action",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, help_text="When it last changed."),
        ),
        migrations.AddField(
            model_name="action",
            name="updated_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="actionchange",
            name="changed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="actionchange",
            name="note",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="action",
            name="version",
            field=models.PositiveIntegerField(
                default=1, help_text="Raised on every change (optimistic locking)."
            ),
        ),
        migrations.AlterField(
            model_name="actionchange",
            name="changes",
            field=models.JSONField(blank=True, default=dict, help_text="{field: [old, new]}"),
        ),
        migrations.AlterField(
            model_name="actionchange",
            name="version",
            field=models.PositiveIntegerField(help_text="The object's version after this change."),
        ),
        migrations.AddConstraint(
            model_name="actionchange",
            constraint=models.UniqueConstraint(
                fields=("action", "version"), name="one_change_per_action_version"
            ),
        ),
        migrations.RunPython(last_change_time, migrations.RunPython.noop),
    ]
