"""A recommendation is proposed, then accepted or declined (with an optional reason), one by one;
it was a flag that defaulted to accepted, so every recommendation went into the strategy."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def flag_to_status(apps, schema_editor):  # type: ignore[no-untyped-def]
    Recommendation = apps.get_model("pathway", "Recommendation")
    Recommendation.objects.filter(accepted=True).update(status="accepted")
    Recommendation.objects.filter(accepted=False).update(status="declined")


def status_to_flag(apps, schema_editor):  # type: ignore[no-untyped-def]
    Recommendation = apps.get_model("pathway", "Recommendation")
    Recommendation.objects.exclude(status="declined").update(accepted=True)
    Recommendation.objects.filter(status="declined").update(accepted=False)


class Migration(migrations.Migration):
    dependencies = [
        ("pathway", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="recommendation",
            name="status",
            field=models.CharField(
                choices=[("proposed", "To be decided"), ("accepted", "Accepted"), ("declined", "Declined")],
                default="proposed",
                help_text="Accepted ones are taken into the strategy.",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="reason",
            field=models.TextField(blank=True, help_text="Why it was declined (optional)."),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="decided_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(flag_to_status, status_to_flag),
        migrations.RemoveField(model_name="recommendation", name="accepted"),
    ]
