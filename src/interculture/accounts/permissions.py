"""The permission rules, in one place, used by the web views, the REST API and the services.

- secretariat (group "secretariat" or superuser): every city; reviews, validates and publishes;
- expert: reads the drafts of the cities assigned to them and comments on them;
- city coordinator: opens rounds, assigns areas, invites people, edits every area, submits;
- city contributor: reads the city's drafts, edits the areas assigned to them;
- national or regional viewer, and the public: published results only.
"""

from __future__ import annotations

from typing import Any

from interculture.accounts.models import Role
from interculture.accounts.types import Visitor

SECRETARIAT_GROUP = "secretariat"
EDITABLE_STATUSES = ("draft", "changes_requested")
# Memoised on the user object (request.user lives for one request); not fields of the User type.
_SECRETARIAT_MEMO = "_interculture_secretariat"
_ROLES_MEMO = "_interculture_roles"


def is_secretariat(user: Visitor) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, _SECRETARIAT_MEMO, None)
    if cached is None:
        cached = user.groups.filter(name=SECRETARIAT_GROUP).exists()
        setattr(user, _SECRETARIAT_MEMO, cached)
    return bool(cached)


def _roles_by_city(user: Visitor) -> dict[int, set[str]]:
    """city id -> the user's roles there (memoised on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return {}
    cache: dict[int, set[str]] | None = getattr(user, _ROLES_MEMO, None)
    if cache is None:
        cache = {}
        for city_id, role in user.memberships.values_list("city_id", "role"):
            cache.setdefault(city_id, set()).add(role)
        setattr(user, _ROLES_MEMO, cache)
    return cache


def roles_in(user: Visitor, city: Any) -> set[str]:
    """The user's roles in a city."""
    return _roles_by_city(user).get(city.pk, set())


def can_see_drafts(user: Visitor, city: Any) -> bool:
    """Members of the city, its assigned experts and the secretariat read unpublished rounds."""
    return is_secretariat(user) or bool(roles_in(user, city))


def draft_city_ids(user: Visitor) -> set[int]:
    """The cities whose unpublished rounds this member may read (the secretariat reads every city's)."""
    return {city_id for city_id, roles in _roles_by_city(user).items() if roles}


def can_view_round(user: Visitor, round_: Any) -> bool:
    """THE visibility rule of a round and of everything derived from it (answers, comments,
    evidence, scores, findings, suggestions, peers, timeline events, reports and their versions):
    published rounds for everyone, the others for those who may see the city's drafts.
    `assessments.selectors.rounds_for` is the same rule as a query; every read goes through one
    of the two (tests/assessments/test_visibility.py checks that they agree and that no other
    module reads rounds directly)."""
    return round_.status == "published" or can_see_drafts(user, round_.city)


def can_publish_report(user: Visitor) -> bool:
    """Publishing a report (its PDF, as a version) is the secretariat's act."""
    return is_secretariat(user)


def can_coordinate(user: Visitor, city: Any) -> bool:
    """Open rounds, assign areas, invite members, submit."""
    return Role.COORDINATOR in roles_in(user, city)


def can_manage_members(user: Visitor, city: Any) -> bool:
    return is_secretariat(user) or can_coordinate(user, city)


def assigned_areas(user: Visitor, round_: Any) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    return set(round_.assignments.filter(user=user).values_list("indicator_id", flat=True))


def can_edit_area(user: Visitor, round_: Any, indicator_id: str) -> bool:
    if round_.status not in EDITABLE_STATUSES:
        return False
    roles = roles_in(user, round_.city)
    if Role.COORDINATOR in roles:
        return True
    return Role.CONTRIBUTOR in roles and indicator_id in assigned_areas(user, round_)


def can_review(user: Visitor, city: Any) -> bool:
    """Comment on answers and request changes: the secretariat and the city's assigned expert."""
    return is_secretariat(user) or Role.EXPERT in roles_in(user, city)


def reviews_any_city(user: Visitor) -> bool:
    """The review queue: the secretariat, and experts assigned to at least one city."""
    return is_secretariat(user) or any(Role.EXPERT in roles for roles in _roles_by_city(user).values())


def can_validate(user: Visitor) -> bool:
    """Validate and publish: the secretariat only."""
    return is_secretariat(user)


def in_viewer_scope(user: Visitor, city: Any) -> bool:
    """A national viewer of the city's country, or a regional viewer of its region."""
    if user is None or not user.is_authenticated:
        return False
    return any(
        s.country == city.country and (not s.region or s.region == city.region)
        for s in user.viewer_scopes.all()
    )


def can_read_pathway(user: Visitor, city: Any) -> bool:
    """The pathway (actions, visits, strategy, indicator values): the city's people, the
    secretariat and the national or regional viewers of the city."""
    return can_see_drafts(user, city) or in_viewer_scope(user, city)


def can_write_pathway(user: Visitor, city: Any) -> bool:
    """Steps, actions, the strategy and indicator values: the coordinator, the contributors and
    the secretariat. Viewers read and never write."""
    roles = roles_in(user, city)
    return is_secretariat(user) or bool(roles & {Role.COORDINATOR, Role.CONTRIBUTOR})


def can_record_visit(user: Visitor, city: Any) -> bool:
    return is_secretariat(user) or Role.EXPERT in roles_in(user, city)


# --- survey responses (e.g. the authorities' survey of seed 001) ------------------------------


def can_answer_for(user: Visitor, city: Any) -> bool:
    """Answer a survey on behalf of a city: its coordinators and contributors."""
    return bool(roles_in(user, city) & {Role.COORDINATOR, Role.CONTRIBUTOR})


def can_read_response(user: Visitor, response: Any) -> bool:
    """A response (contact details included) is read by whoever wrote it, the people who may answer
    for its city, and the secretariat. Everyone signed in sees only the aggregate tables."""
    if user is None or not user.is_authenticated:
        return False
    if is_secretariat(user) or response.created_by_id == user.pk:
        return True
    return response.city is not None and can_answer_for(user, response.city)


def can_edit_response(user: Visitor, response: Any) -> bool:
    return response.status == "draft" and not response.synthetic and can_read_response(user, response)
