"""The multi-level coordination mechanism (seeds 000, 004): stakeholders, bodies with meetings
and decisions, shared positions, peer-learning activities between cities, and the responses
of authorities to a survey (seed 001, Appendix E)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interculture.versioning import Change, Versioned


class Level(models.TextChoices):
    LOCAL = "local", _("Local")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    EU = "eu", _("European")


class Stakeholder(models.Model):
    """An organisation or group taking part in the dialogue, by level, type and themes."""

    class Type(models.TextChoices):
        AUTHORITY = "authority", _("Authority")
        ADVISORY_BOARD = "advisory_board", _("Advisory board")
        CIVIL_SOCIETY = "civil_society", _("Civil society")
        MIGRANT_ORGANISATION = "migrant_organisation", _("Migrant organisation")
        ACADEMIA = "academia", _("Academia")
        AGENCY = "agency", _("Agency")

    slug = models.SlugField(unique=True, max_length=80)
    name = models.JSONField(help_text=_("The name per language code."))
    level = models.CharField(max_length=10, choices=Level.choices)
    type = models.CharField(max_length=24, choices=Type.choices)
    themes = models.JSONField(default=list, blank=True, help_text=_("ICC area ids."))
    country = models.CharField(max_length=2, blank=True)
    city = models.ForeignKey("assessments.City", null=True, blank=True, on_delete=models.SET_NULL)
    source = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["level", "slug"]

    def __str__(self) -> str:
        return str(self.name.get("en", self.slug))


class Body(models.Model):
    """A coordination body: a national coordination group, a city's cross-departmental body…"""

    slug = models.SlugField(unique=True, max_length=80)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=10, choices=Level.choices)
    country = models.CharField(max_length=2)
    city = models.ForeignKey("assessments.City", null=True, blank=True, on_delete=models.SET_NULL)
    members = models.ManyToManyField(Stakeholder, blank=True, related_name="bodies")
    secretaries = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordination_bodies",
        help_text=_("People who record the body's meetings and decisions."),
    )

    class Meta:
        ordering = ["country", "level", "name"]
        verbose_name_plural = "bodies"

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    agenda = models.TextField(blank=True)
    minutes = models.TextField(blank=True)

    class Meta:
        ordering = ["body", "-date"]

    def __str__(self) -> str:
        return f"{self.body} {self.date}"


class Decision(Versioned):
    """A commitment made in a meeting, with an owner at a given level, a deadline and a status."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField()
    owner = models.ForeignKey(Stakeholder, null=True, blank=True, on_delete=models.SET_NULL)
    owner_level = models.CharField(max_length=10, choices=Level.choices)
    deadline = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Per cent."))
    follow_up = models.TextField(blank=True)

    class Meta:
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="decision_progress_is_a_percentage"
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class DecisionChange(Change):
    """Every change to a decision's follow-up: who, when, each field's old and new value, and
    what was done (the note)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="changes")

    object_field = "decision"

    class Meta:
        ordering = ["decision", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "version"], name="one_change_per_decision_version")
        ]


class Position(models.Model):
    """A shared position of cities (e.g. a recommendation to the national level), co-signed,
    with the answer it received."""

    title = models.CharField(max_length=200)
    text = models.TextField()
    addressee = models.CharField(max_length=200, help_text=_("E.g. the Ministry of Justice."))
    addressee_level = models.CharField(max_length=10, choices=Level.choices)
    drafted_by = models.ForeignKey(
        "assessments.City", on_delete=models.PROTECT, related_name="positions_drafted"
    )
    sent_on = models.DateField(null=True, blank=True)
    answer = models.TextField(blank=True)
    answered_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.title


class Signature(models.Model):
    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="signatures")
    city = models.ForeignKey("assessments.City", on_delete=models.CASCADE)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    signed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["position", "city"], name="one_signature_per_city")]

    def __str__(self) -> str:
        return f"{self.city} signs {self.position}"


class PeerActivity(models.Model):
    """Peer learning between two cities (a study visit, a mentoring pair), with its outcomes."""

    class Kind(models.TextChoices):
        STUDY_VISIT = "study_visit", _("Study visit")
        MENTORING = "mentoring", _("Mentoring pair")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    host = models.ForeignKey("assessments.City", on_delete=models.CASCADE, related_name="peer_hosted")
    guest = models.ForeignKey("assessments.City", on_delete=models.CASCADE, related_name="peer_visits")
    area = models.CharField(max_length=64, help_text=_("The ICC area it is about."))
    date = models.DateField()
    outcomes = models.TextField(blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name_plural = "peer activities"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.guest} → {self.host}"


class SurveyResponse(models.Model):
    """One authority's response to a survey questionnaire (e.g. 001's survey of local and
    regional authorities). The authority is one of the platform's cities when it is on the
    platform; otherwise only its answers (the survey's header) say who it is."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    questionnaire = models.ForeignKey(
        "assessments.QuestionnaireVersion", on_delete=models.PROTECT, related_name="survey_responses"
    )
    city = models.ForeignKey(
        "assessments.City", null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_responses"
    )
    authority = models.CharField(max_length=200, help_text=_("The authority's name, from the answers."))
    country = models.CharField(max_length=2, blank=True, help_text=_("ISO 3166-1 alpha-2, from the answers."))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    synthetic = models.BooleanField(default=False, help_text=_("Generated by a seeded generator, not real."))
    source = models.CharField(max_length=300, blank=True, help_text=_("Provenance of a generated response."))

    class Meta:
        ordering = ["questionnaire", "-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "city"],
                condition=models.Q(city__isnull=False),
                name="one_survey_response_per_city",
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority or self.pk} ({self.questionnaire})"


class SurveyItem(models.Model):
    """One item of a repeatable section: a Part 2 fact sheet on one programme or project. Once
    the response is submitted, it can be proposed to the practice base."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="items")
    section = models.CharField(max_length=64, help_text=_("The repeatable section (indicator id)."))
    number = models.PositiveSmallIntegerField()
    practice = models.ForeignKey(
        "practices.Practice", null=True, blank=True, on_delete=models.SET_NULL, related_name="survey_items"
    )

    class Meta:
        ordering = ["response", "section", "number"]
        constraints = [
            models.UniqueConstraint(fields=["response", "section", "number"], name="one_survey_item_number")
        ]

    def __str__(self) -> str:
        return f"{self.response} {self.section} #{self.number}"


class SurveyAnswer(Versioned):
    """One answer of a response; answers of a repeatable section belong to one item."""

    history = None  # a response keeps no per-answer history; the version guards concurrent edits

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(
        SurveyItem, null=True, blank=True, on_delete=models.CASCADE, related_name="answers"
    )
    question_id = models.CharField(max_length=64)
    value = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["response", "item", "question_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_id"],
                condition=models.Q(item__isnull=True),
                name="one_survey_answer_per_question",
            ),
            models.UniqueConstraint(
                fields=["item", "question_id"], name="one_survey_answer_per_item_question"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.response}: {self.question_id}"
