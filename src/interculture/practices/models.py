"""The practice base: fact sheets of local and regional integration practices, their versions and facets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from interculture.versioning import Change, Versioned


class Practice(Versioned):
    """A fact sheet; its versions (`history`) hold every saved text, a waiting revision too."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        PUBLISHED = "published", _("Published")
        RETURNED = "returned", _("Returned for changes")

    slug = models.SlugField(max_length=80, unique=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT)
    # The validated fact sheet (interculture.practices.schema.Practice) as submitted; the
    # columns below are derived from it for search, facets, sorting and the map.
    data = models.JSONField()
    title = models.CharField(max_length=300, help_text=_("English title, for sorting."))
    city = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    place_source = models.CharField(
        max_length=120, blank=True, help_text=_("Where coordinates/population come from.")
    )
    home_city = models.ForeignKey(
        "assessments.City", null=True, blank=True, on_delete=models.SET_NULL, related_name="practices"
    )
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    synthetic = models.BooleanField(default=False)
    # A change to a published fact sheet waits here (the number of its PracticeVersion) until the
    # secretariat publishes it; until then readers see the published text, unchanged.
    pending_version = models.PositiveIntegerField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The facet values again, packed as "key=value" lines: counting them over thousands of search
    # hits is far cheaper than grouping the PracticeFacet rows (which serve the filters).
    facet_values = models.TextField(blank=True, editable=False)
    # Multilingual-e5-small vector (float32), when embeddings are available.
    embedding = models.BinaryField(null=True, blank=True, editable=False)

    history = "versions"

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["state", "synthetic"])]

    def __str__(self) -> str:
        return self.title


class PracticeVersion(Change):
    """Every saved version of a fact sheet: who changed it and why (the note), what changed, and
    the whole fact sheet and state as saved (a waiting revision is read from here)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="versions")
    data = models.JSONField()
    state = models.CharField(max_length=12, choices=Practice.State.choices)

    object_field = "practice"

    class Meta:
        ordering = ["practice", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "version"], name="one_practice_version_number")
        ]


class PracticeFacet(models.Model):
    """One facet value of a practice (country=FI, icc_area=education…): filters and counts in one table."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="facets")
    key = models.CharField(max_length=32)
    value = models.CharField(max_length=64)

    class Meta:
        # Covering: a facet filter reads practice ids from the index alone.
        indexes = [models.Index(fields=["key", "value", "practice"], name="practice_facet_lookup")]
        constraints = [
            models.UniqueConstraint(fields=["practice", "key", "value"], name="one_facet_value_per_practice")
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class PracticeText(models.Model):
    """The searchable text of a practice per language, stemmed for SQLite FTS5 (see search.py)."""

    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, primary_key=True, related_name="text")
    text_en = models.TextField(blank=True)
    text_fi = models.TextField(blank=True)
    text_sv = models.TextField(blank=True)
    text_other = models.TextField(blank=True, help_text=_("Original title and other-language text."))

    def __str__(self) -> str:
        return f"text of {self.practice_id}"


class TopicEmbedding(models.Model):
    """The embedding of a query derived from a questionnaire (a question with its recommendation,
    an area's purpose), stored with the questionnaire version: suggesting practices for a city's
    unmet questions then needs no model call, in any process."""

    questionnaire = models.ForeignKey(
        "assessments.QuestionnaireVersion", on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=160, help_text=_("A question id, or purpose:<area id>."))
    vector = models.BinaryField(help_text=_("Multilingual-e5-small query vector (float32)."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["questionnaire", "key"], name="one_topic_per_key")]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}:{self.key}"
