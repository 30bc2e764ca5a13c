"""A municipality's pathway (seed 000): working group, Index, report, expert visit, strategy,
follow-up; the experts; recommendations turned into actions; Good Relations indicator values."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from interculture.versioning import Change, Versioned


class Programme(models.Model):
    """A national or regional programme that municipalities follow together (e.g. seed 000)."""

    slug = models.SlugField(unique=True)
    name = models.JSONField(help_text=_("The name per language code."))
    country = models.CharField(max_length=2)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    provenance = models.JSONField(default=dict, blank=True)
    cities = models.ManyToManyField("assessments.City", related_name="programmes", blank=True)

    def __str__(self) -> str:
        return str(self.name.get("en", self.slug))

    @property
    def display_name(self) -> str:
        """The name in the current language, else English."""
        return str(self.name.get(get_language() or "en") or self.name.get("en", self.slug))


class Step(models.Model):
    """A step on a city's pathway, with its date, the person responsible and its documents."""

    class Kind(models.TextChoices):
        WORKING_GROUP = "working_group", _("Working group set up")
        ROUND_SUBMITTED = "round_submitted", _("Index round submitted")
        ROUND_VALIDATED = "round_validated", _("Index round validated")
        REPORT_PUBLISHED = "report_published", _("Index Report published")
        EXPERT_VISIT = "expert_visit", _("Expert visit")
        STRATEGY_DRAFTED = "strategy_drafted", _("Strategy drafted")
        STRATEGY_ADOPTED = "strategy_adopted", _("Strategy adopted")
        FOLLOW_UP_ROUND = "follow_up_round", _("Follow-up round")

    city = models.ForeignKey("assessments.City", on_delete=models.CASCADE, related_name="pathway_steps")
    kind = models.CharField(max_length=24, choices=Kind.choices)
    date = models.DateField()
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    note = models.TextField(blank=True)
    members = models.TextField(
        blank=True, help_text=_("Working group: one member per line, with their department.")
    )

    class Meta:
        ordering = ["city", "date", "id"]

    def __str__(self) -> str:
        return f"{self.city}: {self.get_kind_display()} {self.date}"


class StepDocument(models.Model):
    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="pathway/%Y/")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.title


class Expert(models.Model):
    """The pool of experts (seed 000: "a pool of experts will be trained")."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    name = models.CharField(max_length=120)
    languages = models.JSONField(default=list, blank=True, help_text=_("Language codes."))
    themes = models.JSONField(default=list, blank=True, help_text=_("ICC area ids."))
    cities = models.ManyToManyField("assessments.City", blank=True, related_name="experts")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Training(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="trainings")
    title = models.CharField(max_length=200)
    date = models.DateField()
    given = models.BooleanField(default=False, help_text=_("Given by the expert (otherwise received)."))

    def __str__(self) -> str:
        return self.title


class Visit(models.Model):
    city = models.ForeignKey("assessments.City", on_delete=models.CASCADE, related_name="visits")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="visits")
    start = models.DateField()
    end = models.DateField()
    met = models.TextField(blank=True, help_text=_("Whom the expert met."))
    findings = models.TextField(blank=True)

    class Meta:
        ordering = ["city", "-start"]

    def __str__(self) -> str:
        return f"{self.city}: {self.expert} {self.start}"


class Recommendation(models.Model):
    """A recommendation from the Index Report or from an expert visit."""

    class Source(models.TextChoices):
        REPORT = "report", _("Index Report")
        VISIT = "visit", _("Expert visit")

    city = models.ForeignKey("assessments.City", on_delete=models.CASCADE, related_name="recommendations")
    source = models.CharField(max_length=8, choices=Source.choices)
    round = models.ForeignKey("assessments.AssessmentRound", null=True, blank=True, on_delete=models.SET_NULL)
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.CASCADE, related_name="recommendations"
    )
    indicator_id = models.CharField(max_length=64)
    question_id = models.CharField(max_length=64, blank=True)
    text = models.TextField()

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("To be decided")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    status = models.CharField(
        max_length=8,
        choices=Status.choices,
        default=Status.PROPOSED,
        help_text=_("Accepted ones are taken into the strategy."),
    )
    reason = models.TextField(blank=True, help_text=_("Why it was declined (optional)."))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["city", "indicator_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "round", "question_id"],
                condition=models.Q(source="report"),
                name="one_report_recommendation_per_question",
            )
        ]

    def __str__(self) -> str:
        return self.text[:60]


class Action(Versioned):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    city = models.ForeignKey("assessments.City", on_delete=models.CASCADE, related_name="actions")
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(max_length=200)
    owner_department = models.CharField(max_length=120)
    deadline = models.DateField()
    budget_eur = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    progress = models.PositiveSmallIntegerField(default=0, help_text=_("Per cent."))
    questions = models.JSONField(
        default=list, blank=True, help_text=_("The Index questions it should change.")
    )
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["city", "deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="action_progress_is_a_percentage"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due = models.DateField()
    done = models.BooleanField(default=False)

    class Meta:
        ordering = ["action", "due"]

    def __str__(self) -> str:
        return self.title


class ActionChange(Change):
    """Every change to an action: who, when, and each field's old and new value."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="changes")

    object_field = "action"

    class Meta:
        ordering = ["action", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["action", "version"], name="one_change_per_action_version")
        ]


class Strategy(models.Model):
    """The local integration strategy: the city's vision, generated from its actions, adopted."""

    city = models.ForeignKey("assessments.City", on_delete=models.CASCADE, related_name="strategies")
    title = models.CharField(max_length=200)
    vision = models.TextField(blank=True, help_text=_("Written by the city (Markdown)."))
    adopted_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["city", "-updated_at"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.title


class IndicatorValue(models.Model):
    """A Good Relations indicator value for a city and year, with its source."""

    city = models.ForeignKey("assessments.City", on_delete=models.CASCADE, related_name="good_relations")
    indicator_id = models.CharField(max_length=80)
    year = models.PositiveSmallIntegerField()
    value = models.FloatField()
    source = models.CharField(max_length=300, help_text=_("A local survey, national statistics…"))

    class Meta:
        ordering = ["city", "indicator_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "indicator_id", "year"], name="one_value_per_indicator_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.city} {self.indicator_id} {self.year}: {self.value}"


class PeriodicRun(models.Model):
    """When a periodic job last ran (the worker queues it again when it is due)."""

    name = models.CharField(max_length=80, unique=True)
    last_run = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.last_run}"
