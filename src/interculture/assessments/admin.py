from django.contrib import admin

from interculture.assessments.models import (
    Answer,
    AnswerChange,
    AssessmentRound,
    City,
    PublishedRate,
    QuestionnaireVersion,
)


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    list_display = ["version", "title", "loaded_at"]


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "population", "foreign_born_share", "synthetic"]
    list_filter = ["synthetic", "country"]
    search_fields = ["name", "slug"]


class PublishedRateInline(admin.TabularInline):
    model = PublishedRate
    extra = 0


@admin.register(AssessmentRound)
class AssessmentRoundAdmin(admin.ModelAdmin):
    list_display = ["city", "year", "questionnaire", "status"]
    list_filter = ["status", "questionnaire", "city__synthetic"]
    search_fields = ["city__name"]
    inlines = [PublishedRateInline]


class AnswerChangeInline(admin.TabularInline):
    """The answer's history: read-only, as history is."""

    model = AnswerChange
    extra = 0
    can_delete = False
    readonly_fields = ["version", "old_value", "new_value", "old_comment", "new_comment", "user", "at"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    inlines = [AnswerChangeInline]
    list_display = ["round", "question_id", "value", "version", "updated_at"]
    search_fields = ["round__city__name", "question_id"]
    list_select_related = ["round__city"]
