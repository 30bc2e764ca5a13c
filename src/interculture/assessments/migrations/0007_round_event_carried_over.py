import re

from django.db import migrations, models

# The note open_round() used to store, in English whatever the reader's language.
OPENED_NOTE = re.compile(r"^Started from the (\d{4}) answers \((\d+) carried over\)\.$")


def notes_to_fields(apps, schema_editor):  # type: ignore[no-untyped-def]
    RoundEvent = apps.get_model("assessments", "RoundEvent")
    for event in RoundEvent.objects.filter(from_status="", note__startswith="Started from the "):
        found = OPENED_NOTE.match(event.note)
        if found:
            event.carried_from, event.carried_over = int(found[1]), int(found[2])
            event.note = ""
            event.save(update_fields=["carried_from", "carried_over", "note"])


def fields_to_notes(apps, schema_editor):  # type: ignore[no-untyped-def]
    RoundEvent = apps.get_model("assessments", "RoundEvent")
    for event in RoundEvent.objects.exclude(carried_from=None):
        event.note = f"Started from the {event.carried_from} answers ({event.carried_over} carried over)."
        event.save(update_fields=["note"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0006_answers_are_versioned"),
    ]

    operations = [
        migrations.AddField(
            model_name="roundevent",
            name="carried_from",
            field=models.PositiveSmallIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="roundevent",
            name="carried_over",
            field=models.PositiveIntegerField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="roundevent",
            name="note",
            field=models.TextField(blank=True, help_text="What the person wrote with the step."),
        ),
        migrations.RunPython(notes_to_fields, fields_to_notes),
    ]
