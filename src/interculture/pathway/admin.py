from django.contrib import admin

from interculture.pathway.models import (
    Action,
    ActionChange,
    Expert,
    IndicatorValue,
    Milestone,
    Programme,
    Recommendation,
    Step,
    StepDocument,
    Strategy,
    Training,
    Visit,
)


class TrainingInline(admin.TabularInline):
    model = Training
    extra = 0


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    """The expert registry: languages, themes (ICC areas), cities, trainings given and received."""

    list_display = ["name", "user"]
    filter_horizontal = ["cities"]
    inlines = [TrainingInline]


class VisitRecommendationInline(admin.TabularInline):
    model = Recommendation
    fk_name = "visit"
    extra = 1
    fields = ["indicator_id", "text", "status", "reason", "source", "city"]


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    """A visit's recommendations join the report's own on the city's pathway."""

    list_display = ["city", "expert", "start", "end"]
    inlines = [VisitRecommendationInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class ActionChangeInline(admin.TabularInline):
    model = ActionChange
    extra = 0
    can_delete = False
    readonly_fields = ["version", "changes", "note", "changed_by", "changed_at"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "city", "owner_department", "deadline", "status", "progress"]
    list_filter = ["status", "city"]
    inlines = [MilestoneInline, ActionChangeInline]


class StepDocumentInline(admin.TabularInline):
    model = StepDocument
    extra = 0


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ["city", "kind", "date", "responsible"]
    inlines = [StepDocumentInline]


admin.site.register(Programme)
admin.site.register(Recommendation)
admin.site.register(Strategy)
admin.site.register(IndicatorValue)
