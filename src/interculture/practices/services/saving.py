"""Saving fact sheets with their versions: one at a time, or an import's records in one
transaction of bulk writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from interculture import versioning
from interculture.accounts.permissions import is_secretariat
from interculture.accounts.types import User, Visitor
from interculture.practices import schema
from interculture.practices.models import Practice, PracticeFacet, PracticeText, PracticeVersion
from interculture.practices.search import (
    embed_passages,
    index_text,
    write_index,
)
from interculture.practices.services.prepared import (
    Prepared,
    embedding_text,
    prepare,
)
from interculture.practices.services.validation import FieldError, PracticeInvalid, validate
from interculture.practices.services.versions import (
    HISTORY_FIELDS,
    VersionConflict,
    propose_revision,
)


@transaction.atomic
def save(
    data: dict[str, Any] | schema.Practice,
    *,
    user: Visitor = None,
    state: str | None = None,
    comment: str = "",
    expected_version: int | None = None,
    embed: bool = True,
) -> Practice:
    """Create or update a practice from a fact sheet, keeping every version.

    `expected_version` is the version the edit was based on; a newer stored version raises
    VersionConflict instead of overwriting someone else's change.
    """
    p = data if isinstance(data, schema.Practice) else validate(data)
    stored = p.model_dump(mode="json", exclude_defaults=True)
    practice = Practice.objects.select_for_update().filter(slug=p.slug).first()
    if practice is not None and expected_version is not None and practice.version != expected_version:
        raise VersionConflict(practice, expected_version=expected_version, yours={"data": stored})
    if practice is not None and practice.state == Practice.State.PUBLISHED and not is_secretariat(user):
        return propose_revision(practice, stored, user=user, comment=comment)
    new_state = state or (practice.state if practice else Practice.State.DRAFT)
    if practice is not None and practice.data == stored and practice.state == new_state:
        return practice  # nothing changed: no new version
    ready = prepare([p], embed=False)[0]
    fields = ready.fields(new_state)
    if embed:
        vectors = embed_passages([embedding_text(p)])
        fields["embedding"] = vectors[0] if vectors else None
    snapshot = {"data": stored, "state": new_state}
    shown = {f: fields[f] for f in HISTORY_FIELDS if f in fields}
    if practice is None:
        rest = {f: v for f, v in fields.items() if f not in shown}
        practice = versioning.create_versioned(
            Practice, shown, user=user, note=comment, context={"slug": p.slug, "submitted_by": user, **rest},
            record=snapshot,
        )  # fmt: skip
    else:
        practice = versioning.update_versioned(
            practice, expected_version=practice.version, changes=fields, user=user, note=comment,
            record=snapshot, recorded=HISTORY_FIELDS, conflict=VersionConflict,
        )  # fmt: skip
    PracticeFacet.objects.filter(practice=practice).delete()
    PracticeFacet.objects.bulk_create(
        PracticeFacet(practice=practice, key=k, value=v) for k, v in ready.facets
    )
    text, _ = PracticeText.objects.update_or_create(practice=practice, defaults=ready.texts)
    index_text(practice, text)
    return practice


@dataclass
class Incoming:
    """One record of an import: prepared, with the state to give it (None: keep the stored state,
    or draft) and the version it was exported at (None: not known, as in CSV and XLSX)."""

    prepared: Prepared
    state: str | None = None
    version: int | None = None
    row: int | None = None


def save_many(items: list[Incoming], *, user: User | None = None, comment: str = "") -> list[Practice]:
    """Save prepared fact sheets in one short transaction of bulk writes, all or none.

    A new practice takes the version number it was exported at (so a JSON export imported into
    an empty base keeps its numbers); a changed one gets the next version, unless the record was
    exported at an older version than the stored one, which is refused as a stale edit.
    """
    slugs = [i.prepared.sheet.slug for i in items]
    with transaction.atomic():
        existing = {
            p.slug: p
            for chunk in range(0, len(slugs), 500)
            for p in Practice.objects.select_for_update().filter(slug__in=slugs[chunk : chunk + 500])
        }
        new, changed = _new_and_changed(items, existing)
        created = _create_practices(new, user)
        updated = _update_practices(changed, user)
        pairs = [(p, i) for p, i in zip(created, new, strict=True)] + [
            (p, i) for (i, _), p in zip(changed, updated, strict=True)
        ]
        _record_versions(pairs, user, comment)
        _reindex(pairs, [p.pk for p in updated])
    by_slug = {p.slug: p for p in [*existing.values(), *created]}
    return [by_slug[s] for s in slugs]


def _new_and_changed(
    items: list[Incoming], existing: dict[str, Practice]
) -> tuple[list[Incoming], list[tuple[Incoming, Practice]]]:
    """The records new to the base, and the changed ones with their stored practice (an
    unchanged record is neither); PracticeInvalid when one was exported at another version."""
    errors, new, changed = [], [], []
    for item in items:
        old = existing.get(item.prepared.sheet.slug)
        if old is None:
            new.append(item)
            continue
        state = item.state or old.state
        if old.data == item.prepared.stored and old.state == state:
            continue  # nothing changed: no new version
        if item.version is not None and item.version != old.version:
            errors.append(
                FieldError(
                    "version",
                    gettext(
                        "the base has version %(current)d of this practice; the file holds version %(file)d"
                    )
                    % {"current": old.version, "file": item.version},
                    item.row,
                )
            )
            continue
        changed.append((item, old))
    if errors:
        raise PracticeInvalid(errors)
    return new, changed


def _create_practices(new: list[Incoming], user: User | None) -> list[Practice]:
    return Practice.objects.bulk_create(
        [
            Practice(
                slug=i.prepared.sheet.slug,
                submitted_by=user,
                updated_by=versioning.acting_user(user),
                version=i.version or 1,
                embedding=i.prepared.embedding,
                **i.prepared.fields(i.state or Practice.State.DRAFT),
            )
            for i in new
        ],
        batch_size=500,
    )


def _update_practices(changed: list[tuple[Incoming, Practice]], user: Visitor) -> list[Practice]:
    now = timezone.now()
    updated = []
    for item, old in changed:
        for name, value in item.prepared.fields(item.state or old.state).items():
            setattr(old, name, value)
        # One locked bulk write instead of update_versioned() per row: the rows were read with
        # select_for_update and their versions compared above.
        old.version += 1
        old.updated_at = now  # bulk_update does not apply auto_now
        old.updated_by = versioning.acting_user(user)
        if item.prepared.embedding is not None:
            old.embedding = item.prepared.embedding
        updated.append(old)
    if updated:
        Practice.objects.bulk_update(
            updated,
            [*changed[0][0].prepared.fields("").keys(), "version", "updated_at", "updated_by", "embedding"],
            batch_size=500,
        )
    return updated


def _record_versions(pairs: list[tuple[Practice, Incoming]], user: Visitor, comment: str) -> None:
    PracticeVersion.objects.bulk_create(
        [
            PracticeVersion(
                practice=p,
                version=p.version,
                changes={"state": [None, p.state]} if p.version == 1 else {},
                data=p.data,
                state=p.state,
                changed_by=versioning.acting_user(user),
                note=comment,
            )
            for p, _ in pairs
        ],
        batch_size=1000,
    )


def _reindex(pairs: list[tuple[Practice, Incoming]], updated_ids: list[int]) -> None:
    """The facets, texts and search index of the saved practices (an updated one's old rows go)."""
    PracticeFacet.objects.filter(practice_id__in=updated_ids).delete()
    PracticeText.objects.filter(practice_id__in=updated_ids).delete()
    PracticeFacet.objects.bulk_create(
        [PracticeFacet(practice=p, key=k, value=v) for p, i in pairs for k, v in i.prepared.facets],
        batch_size=5000,
    )
    PracticeText.objects.bulk_create(
        [PracticeText(practice=p, **i.prepared.texts) for p, i in pairs], batch_size=1000
    )
    write_index([(p.pk, *i.prepared.stemmed) for p, i in pairs])
