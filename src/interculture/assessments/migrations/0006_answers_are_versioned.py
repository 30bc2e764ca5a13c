"""Answers use interculture.versioning: the history's six old_/new_ columns become one
`changes` JSON ({field: [old, new]}), user/at become changed_by/changed_at, and an answer's
updated_at is the time of its last change (a conditional UPDATE had left it at creation)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PARTS = ("value", "comment", "evidence")


def to_changes(apps, schema_editor):  # type: ignore[no-untyped-def]
    AnswerChange = apps.get_model("assessments", "AnswerChange")
    rows = []
    for row in AnswerChange.objects.all().iterator(chunk_size=2000):
        changes = {}
        for part in PARTS:
            old, new = getattr(row, f"old_{part}"), getattr(row, f"new_{part}")
            if row.version == 1:
                changes[part] = [None, new]  # the answer's creation records every part
            elif old != new:
                changes[part] = [old, new]
        row.changes = changes
        row.changed_by_id = row.user_id
        rows.append(row)
    AnswerChange.objects.bulk_update(rows, ["changes", "changed_by"], batch_size=2000)


def from_changes(apps, schema_editor):  # type: ignore[no-untyped-def]
    AnswerChange = apps.get_model("assessments", "AnswerChange")
    state: dict[int, dict[str, object]] = {}
    rows = []
    for row in AnswerChange.objects.order_by("answer_id", "version").iterator(chunk_size=2000):
        before = state.get(row.answer_id, {"value": None, "comment": "", "evidence": []})
        after = {**before, **{p: pair[1] for p, pair in row.changes.items()}}
        for part in PARTS:
            setattr(row, f"old_{part}", before[part])
            setattr(row, f"new_{part}", after[part])
        row.user_id = row.changed_by_id
        state[row.answer_id] = after
        rows.append(row)
    fields = [f"{age}_{p}" for age in ("old", "new") for p in PARTS] + ["user"]
    AnswerChange.objects.bulk_update(rows, fields, batch_size=2000)


def last_change_time(apps, schema_editor):  # type: ignore[no-untyped-def]
    Answer = apps.get_model("assessments", "Answer")
    AnswerChange = apps.get_model("assessments", "AnswerChange")
    latest = AnswerChange.objects.filter(answer=models.OuterRef("pk")).order_by("-version")
    Answer.objects.filter(models.Exists(latest)).update(
        updated_at=models.Subquery(latest.values("changed_at")[:1]),
        updated_by=models.Subquery(latest.values("changed_by")[:1]),
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
        ("assessments", "0005_round_answers_language"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="answerchange",
            name="changes",
            field=models.JSONField(blank=True, default=dict, help_text="{field: [old, new]}"),
        ),
        migrations.AddField(
            model_name="answerchange",
            name="changed_by",
            field=USER,
        ),
        migrations.AddField(model_name="answerchange", name="note", field=models.TextField(blank=True)),
        migrations.RunPython(to_changes, from_changes),
        migrations.RenameField(model_name="answerchange", old_name="at", new_name="changed_at"),
        *[
            migrations.RemoveField(model_name="answerchange", name=f"{age}_{part}")
            for age in ("old", "new")
            for part in PARTS
        ],
        migrations.RemoveField(model_name="answerchange", name="user"),
        migrations.AlterField(
            model_name="answerchange",
            name="version",
            field=models.PositiveIntegerField(help_text="The object's version after this change."),
        ),
        migrations.AddField(
            model_name="answer",
            name="updated_by",
            field=USER,
        ),
        migrations.AlterField(
            model_name="answer",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, help_text="When it last changed."),
        ),
        migrations.RunPython(last_change_time, migrations.RunPython.noop),
    ]
