"""Expert edits of a report's sections, published versions, and report-generation jobs."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SectionEdit(models.Model):
    """An expert's text for one section of a round's report, in one language (Markdown).

    `basis` is the fingerprint of what the generated section was built from when the expert
    wrote this; when the answers change, the fingerprint changes and the edit is flagged.
    """

    round = models.ForeignKey(
        "assessments.AssessmentRound", on_delete=models.CASCADE, related_name="report_edits"
    )
    section = models.CharField(max_length=80)
    language = models.CharField(max_length=8)
    markdown = models.TextField()
    basis = models.CharField(max_length=64)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "section", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "section", "language"], name="one_edit_per_section_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.section} ({self.language})"


class ReportVersion(models.Model):
    """A published report: the HTML and the PDF exactly as published, kept for download."""

    round = models.ForeignKey(
        "assessments.AssessmentRound", on_delete=models.CASCADE, related_name="report_versions"
    )
    number = models.PositiveIntegerField()
    # The address of the PDF: random, so that no version can be found by counting.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    language = models.CharField(max_length=8)
    html = models.TextField()
    pdf = models.BinaryField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    job = models.OneToOneField(
        "ReportJob",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="version",
        help_text=_("The job that produced it: a retried job never publishes twice."),
    )

    class Meta:
        ordering = ["round", "language", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "language", "number"], name="one_report_number_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round} report v{self.number} ({self.language})"

    def get_absolute_url(self) -> str:
        return f"/reports/versions/{self.public_id}/"


class ReportJob(models.Model):
    """Making and publishing a report's PDF in the background, with its progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        "assessments.AssessmentRound", on_delete=models.CASCADE, related_name="report_jobs"
    )
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Per cent."))
    step = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.round} {self.language}: {self.status} {self.progress} %"
