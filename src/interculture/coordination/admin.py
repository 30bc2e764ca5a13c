from django.contrib import admin

from interculture.coordination.models import (
    Body,
    Decision,
    Meeting,
    PeerActivity,
    Position,
    Signature,
    Stakeholder,
)


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 1


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["body", "date"]
    inlines = [DecisionInline]


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "country", "city"]
    filter_horizontal = ["members", "secretaries"]


class SignatureInline(admin.TabularInline):
    model = Signature
    extra = 0


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["title", "drafted_by", "addressee", "sent_on", "answered_on"]
    inlines = [SignatureInline]


admin.site.register(Stakeholder)
admin.site.register(Decision)
admin.site.register(PeerActivity)
