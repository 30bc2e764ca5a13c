"""Decisions use interculture.versioning: who and when of their history as changed_by/changed_at, a note,
one row per version, and updated_at/updated_by of the last change."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def last_change_time(apps, schema_editor):  # type: ignore[no-untyped-def]
    """updated_at is the time of the last change, and who made it."""
    Decision = apps.get_model("coordination", "Decision")
    DecisionChange = apps.get_model("coordination", "DecisionChange")
    latest = DecisionChange.objects.filter(decision=models.OuterRef("pk")).order_by("-version")
    Decision.objects.filter(models.Exists(latest)).update(
        updated_at=models.Subquery(latest.values("changed_at")[:1]),
        updated_by=models.Subquery(latest.values("changed_by")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("coordination", "0003_survey_priority_grids_are_ratings"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(
            model_name="decisionchange",
            old_name="at",
            new_name="changed_at",
        ),
        migrations.RenameField(
            model_name="decisionchange",
            old_name="user",
            new_name="changed_by",
        ),
        migrations.AddField(
            model_name="decision",
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
            model_name="decisionchange",
            name="changed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="decision",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, help_text="When it last changed."),
        ),
        migrations.AlterField(
            model_name="decisionchange",
            name="changes",
            field=models.JSONField(blank=True, default=dict, help_text="{field: [old, new]}"),
        ),
        migrations.AlterField(
            model_name="decisionchange",
            name="note",
            field=models.TextField(blank=True),
        ),
        migrations.AlterField(
            model_name="decisionchange",
            name="version",
            field=models.PositiveIntegerField(help_text="The object's version after this change."),
        ),
        migrations.AlterField(
            model_name="surveyanswer",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, help_text="When it last changed."),
        ),
        migrations.AlterField(
            model_name="surveyanswer",
            name="updated_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(last_change_time, migrations.RunPython.noop),
    ]
