from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from interculture.accounts.models import ApiToken, CityMembership, Invitation, ViewerScope


@admin.register(CityMembership)
class CityMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "city", "role", "department", "since"]
    list_filter = ["role", "city"]
    search_fields = ["user__username", "user__email", "city__name"]
    autocomplete_fields = ["user", "city"]


@admin.register(ViewerScope)
class ViewerScopeAdmin(admin.ModelAdmin):
    list_display = ["user", "country", "region"]
    autocomplete_fields = ["user"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are sent from the workspace (the link's secret exists only in the email)."""

    list_display = [
        "email",
        "role",
        "city",
        "country",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
    ]
    list_filter = ["role"]
    readonly_fields = ["token_hash", "invited_by", "created_at", "accepted_at", "accepted_by"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "prefix", "created_at", "last_used_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


class UserMembershipInline(admin.TabularInline):
    model = CityMembership
    extra = 0
    autocomplete_fields = ["city"]


class UserViewerScopeInline(admin.TabularInline):
    model = ViewerScope
    extra = 0


# The user page shows the person's roles: city memberships and viewer scopes (the secretariat is
# the group "secretariat", set under Permissions).
admin.site.unregister(User)


@admin.register(User)
class UserWithRolesAdmin(UserAdmin):
    inlines = [UserMembershipInline, UserViewerScopeInline]
