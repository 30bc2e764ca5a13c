from django.contrib import admin

from interculture.assessments.models import Answer, AssessmentRound, City, PublishedRate, QuestionnaireVersion


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


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["round", "question_id", "value", "version", "updated_at"]
    search_fields = ["round__city__name", "question_id"]
    list_select_related = ["round__city"]
