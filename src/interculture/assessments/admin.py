from typing import Any

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from interculture.accounts.models import CityMembership
from interculture.assessments.models import (
    Answer,
    AnswerChange,
    AreaAssignment,
    AssessmentRound,
    City,
    PublishedRate,
    QuestionnaireVersion,
    ReviewComment,
    RoundEvent,
)
from interculture.assessments.services.questionnaires import import_questionnaire
from interculture.engine.loader import MAX_YAML_CHARACTERS, QuestionnaireFileError, parse_questionnaire


class QuestionnaireImportForm(forms.ModelForm):
    """Upload a questionnaire YAML (or paste it); it is validated against the schema first."""

    upload = forms.FileField(required=False, help_text="A questionnaire YAML file.")

    class Meta:
        model = QuestionnaireVersion
        fields = ["source_yaml"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_yaml"].required = False

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("upload")
        if upload and upload.size > 4 * MAX_YAML_CHARACTERS:  # UTF-8: at most four bytes a character
            raise forms.ValidationError(
                _("The file is too large: a questionnaire has at most %(n)s characters.")
                % {"n": f"{MAX_YAML_CHARACTERS:,}"}
            )
        try:
            text = upload.read().decode("utf-8") if upload else data.get("source_yaml") or ""
        except UnicodeDecodeError as exc:
            raise forms.ValidationError("The file is not UTF-8 text.") from exc
        if not text.strip():
            raise forms.ValidationError("Upload a questionnaire file or paste its YAML.")
        try:
            parsed = parse_questionnaire(text, getattr(upload, "name", "<pasted>"))
        except QuestionnaireFileError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if self.instance.pk and parsed.version != self.instance.version:
            raise forms.ValidationError(
                f"This file is version {parsed.version}; add it as a new questionnaire version instead."
            )
        data["source_yaml"] = text
        return data


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    form = QuestionnaireImportForm
    list_display = ["version", "title", "loaded_at"]
    readonly_fields = ["version", "title", "loaded_at"]

    def save_model(self, request: Any, obj: QuestionnaireVersion, form: Any, change: bool) -> None:
        # The YAML is the source of truth: version and title are read from it.
        stored = import_questionnaire(form.cleaned_data["source_yaml"])
        obj.pk, obj.version, obj.title = stored.pk, stored.version, stored.title


class MembershipInline(admin.TabularInline):
    model = CityMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "population", "foreign_born_share", "synthetic"]
    list_filter = ["synthetic", "country"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]


class PublishedRateInline(admin.TabularInline):
    model = PublishedRate
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = AreaAssignment
    extra = 0


class RoundEventInline(admin.TabularInline):
    model = RoundEvent
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "user", "note", "carried_from", "carried_over", "at"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ["city", "year", "questionnaire", "status"]
    list_filter = ["status", "questionnaire", "city__synthetic"]
    search_fields = ["city__name"]
    inlines = [AssignmentInline, PublishedRateInline, RoundEventInline]
    # A round moves through the workflow (submit, validate, publish), which records who and when.
    readonly_fields = ["status"]


@admin.register(ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["round", "question_id", "author", "at"]
    list_select_related = ["round__city", "author"]


class AnswerChangeInline(admin.TabularInline):
    """The answer's history: read-only, as history is."""

    model = AnswerChange
    extra = 0
    can_delete = False
    readonly_fields = ["version", "changes", "note", "changed_by", "changed_at"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    """Answers are read here; they change in the workspace or the API, versioned and recorded."""

    inlines = [AnswerChangeInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    list_display = ["round", "question_id", "value", "version", "updated_at"]
    search_fields = ["round__city__name", "question_id"]
    list_select_related = ["round__city"]
