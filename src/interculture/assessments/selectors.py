"""Reading assessments: scores, the comparison sample and benchmarks."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext, ngettext

from interculture.accounts import permissions
from interculture.accounts.types import User, Visitor
from interculture.assessments.models import (
    Answer,
    AnswerChange,
    AssessmentRound,
    City,
    QuestionnaireVersion,
    RoundEvent,
)
from interculture.assessments.services.questionnaires import engine_questionnaire
from interculture.engine import content
from interculture.engine.benchmarking import AGGREGATES, Benchmark, CityResult, benchmark
from interculture.engine.loader import load_questionnaire
from interculture.engine.schema import Indicator
from interculture.engine.scoring import BatchScorer, Score, is_blank, score
from interculture.engine.survey import appendix_number
from interculture.kept import kept
from interculture.versioning import with_states

# Rounds that count in the comparison sample: the published ones, which everyone may see (a
# validated round joins when the secretariat publishes it).
SAMPLE_STATUSES = (AssessmentRound.Status.PUBLISHED,)


# --- the visibility rule ------------------------------------------------------------------------


class _Operator:
    """Whoever runs the command line or a background job on the server: reads every round."""

    is_authenticated = True
    is_superuser = True
    pk = None

    def __repr__(self) -> str:
        return "OPERATOR"


OPERATOR = _Operator()


def rounds_for(user: Visitor | _Operator) -> QuerySet[AssessmentRound]:
    """The rounds this person may see: permissions.can_view_round as a query. Every read of a
    round and of what derives from it (answers, scores, findings, suggestions, peers, timeline,
    reports) starts here or at that predicate; the public and viewers get published rounds only."""
    rounds = AssessmentRound.objects.select_related("city", "questionnaire")
    if isinstance(user, _Operator) or permissions.is_secretariat(user):
        return rounds
    published = Q(status=AssessmentRound.Status.PUBLISHED)
    return rounds.filter(published | Q(city_id__in=permissions.draft_city_ids(user)))


def get_round(user: Visitor, city_slug: str, year: int | None = None) -> AssessmentRound:
    """A city's round for `year` (else its latest) among those `user` may see; a round they may
    not see does not exist for them (AssessmentRound.DoesNotExist, its existence not disclosed)."""
    rounds = rounds_for(user).filter(city__slug=city_slug)
    found = (rounds.filter(year=year) if year is not None else rounds.order_by("-year")).first()
    if found is None:
        if not City.objects.filter(slug=city_slug).exists():
            raise AssessmentRound.DoesNotExist(f"no city {city_slug!r}")
        which = f" for {year}" if year is not None else ""
        raise AssessmentRound.DoesNotExist(f"{city_slug} has no assessment round{which} that you may see")
    return found


def latest_round(
    user: Visitor | _Operator, city: City, statuses: Iterable[str] | None = None
) -> AssessmentRound | None:
    """The city's newest round that `user` may see (optionally only of these statuses)."""
    rounds = rounds_for(user).filter(city=city)
    if statuses is not None:
        rounds = rounds.filter(status__in=list(statuses))
    return rounds.order_by("-year").first()


def round_events(user: Visitor, city: City, statuses: Iterable[str]) -> list[RoundEvent]:
    """The moves of the city's visible rounds into these statuses (submitted, validated...)."""
    visible = rounds_for(user).filter(city=city)
    return list(
        RoundEvent.objects.filter(round__in=visible, to_status__in=list(statuses)).select_related("round")
    )


def city_statuses(user: Visitor, city: City) -> set[str]:
    """The statuses of the city's rounds that `user` may see."""
    return set(rounds_for(user).filter(city=city).values_list("status", flat=True))


def round_answers(round_: AssessmentRound) -> dict[str, object]:
    return dict(round_.answers.values_list("question_id", "value"))


def round_score(round_: AssessmentRound) -> Score:
    return score(engine_questionnaire(round_.questionnaire), round_answers(round_))  # type: ignore[arg-type]


def _raw_answer_rows(version: QuestionnaireVersion) -> Iterator[tuple[int, str, str | None]]:
    """(round id, question id, value as JSON text) of every sample round: one query, no ORM objects.

    The sample can hold thousands of rounds; building model instances for each answer would
    cost more than scoring them.
    """
    answer = Answer._meta.db_table
    round_table = AssessmentRound._meta.db_table
    as_text = "CAST(a.value AS TEXT)"
    placeholders = ", ".join(["%s"] * len(SAMPLE_STATUSES))
    sql = (
        f"SELECT a.round_id, a.question_id, {as_text} FROM {answer} a "
        f"JOIN {round_table} r ON r.id = a.round_id "
        f"WHERE r.questionnaire_id = %s AND r.status IN ({placeholders})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [version.pk, *SAMPLE_STATUSES])
        while batch := cursor.fetchmany(10_000):
            yield from batch


def sample_scores(version: QuestionnaireVersion) -> dict[int, Score]:
    """Scores of every validated or published round on this questionnaire, by round id."""
    scorer = BatchScorer(engine_questionnaire(version))
    return scorer.score_rows(_raw_answer_rows(version))  # type: ignore[return-value]


def sample_fingerprint(version: QuestionnaireVersion) -> tuple[Any, ...]:
    """Changes whenever the sample's answers do: a round joins or leaves it, an answer is added,
    removed or edited. One aggregate query; it sums versions, not updated_at, because an edit is
    an UPDATE that raises `version` and leaves updated_at as it was."""
    found = Answer.objects.filter(round__questionnaire=version, round__status__in=SAMPLE_STATUSES).aggregate(
        answers=Count("pk"),
        answer_ids=Sum("pk"),  # ids only grow: a row removed and another added still changes it
        versions=Sum("version"),
        rounds=Count("round", distinct=True),
        round_ids=Sum("round"),
    )
    return (version.pk, str(version.loaded_at), *found.values())


def published_round_fingerprint(round_: AssessmentRound) -> tuple[Any, ...]:
    """Changes whenever what a published round's pages show of its own data or of the sample
    does: its city, answers, published rates, workflow events, and the sample."""
    city = round_.city
    return (
        round_.pk,
        round_.status,
        (city.pk, city.name, city.country, city.population, city.foreign_born_share),
        round_.answers.aggregate(n=Count("pk"), ids=Sum("pk"), versions=Sum("version")),
        list(round_.published_rates.values_list("measure", "city_rate", "sample_rate", "source")),
        list(round_.events.values_list("pk", "at")),
        sample_fingerprint(round_.questionnaire),
    )


def _sample_rates(version: QuestionnaireVersion) -> dict[int, dict[str, float | None]]:
    return {pk: _measures(s) for pk, s in sample_scores(version).items()}


def sample_results(
    version: QuestionnaireVersion, include: AssessmentRound | None = None, *, kept_rates: bool = False
) -> list[CityResult]:
    """The comparison sample: each city's latest sample round, as engine CityResults.

    `include` adds a round that is not (yet) validated, so a city can see where its draft stands.
    `kept_rates`: the sample's rates as kept in the shared cache while the sample is unchanged
    (pages); without it they are computed anew (the re-benchmark measures that).
    """
    if kept_rates:
        rates = dict(kept("sample-rates", sample_fingerprint(version), lambda: _sample_rates(version)))
    else:
        rates = _sample_rates(version)
    if include is not None and include.pk not in rates:
        rates[include.pk] = _measures(round_score(include))
    latest: dict[int, tuple[int, int]] = {}  # city id -> (year, round id)
    rounds = AssessmentRound.objects.filter(pk__in=rates.keys()).values_list("pk", "city_id", "year")
    for pk, city_id, year in rounds:
        if city_id not in latest or year > latest[city_id][0]:
            latest[city_id] = (year, pk)
    cities = City.objects.in_bulk(latest.keys())
    return [
        CityResult(
            city=cities[city_id].slug,
            population=cities[city_id].population,
            foreign_born_share=cities[city_id].foreign_born_share,
            rates=rates[round_id],
            synthetic=cities[city_id].synthetic,
        )
        for city_id, (_, round_id) in latest.items()
    ]


def _measures(s: Score) -> dict[str, float | None]:
    rates = {k: s.rate(k) for k in s.indicators}
    rates.update({"lens": s.lens, "core_index": s.core_index, "extended_index": s.extended_index})
    return rates


def measures_of(version: QuestionnaireVersion) -> list[str]:
    return [i.id for i in engine_questionnaire(version).indicators] + list(AGGREGATES)


def benchmark_round(round_: AssessmentRound) -> Benchmark:
    sample = sample_results(round_.questionnaire, include=round_, kept_rates=True)
    return benchmark(round_.city.slug, sample, measures_of(round_.questionnaire))


def results_page(round_: AssessmentRound, language: str) -> dict[str, Any]:
    """Everything the results page shows: rates, published figures, sample and band statistics."""
    q = engine_questionnaire(round_.questionnaire)
    s = round_score(round_)
    bench = benchmark_round(round_)
    published = {p.measure: p for p in round_.published_rates.all()}
    size_group = f"size:{bench.size_band}"
    diversity_group = f"diversity:{bench.diversity_band}"

    def row(measure: str, label: str, lens: bool = False, new: bool = False) -> dict[str, object]:
        groups = bench.measures[measure]
        return {
            "measure": measure,
            "label": label,
            "lens": lens,
            "new": new,
            "rate": bench.rates.get(measure),
            "published": published.get(measure),
            "sample": groups["sample"],
            "size": groups[size_group],
            "diversity": groups[diversity_group],
        }

    rows = [row(i.id, i.name.get(language), lens=i.group is not None, new=not i.core) for i in q.indicators]
    aggregates = [
        row("lens", gettext("Intercultural lens")),
        row("core_index", gettext("Core index")),
        row("extended_index", gettext("Extended index")),
    ]
    return {
        "score": s,
        "benchmark": bench,
        "rows": rows,
        "aggregates": aggregates,
        "size_band": bench.size_band,
        "diversity_band": bench.diversity_band,
    }


def city_cards() -> list[dict[str, Any]]:
    """Real cities with the headline figures of their latest published round, for the home page."""
    cards = []
    for city in City.objects.filter(synthetic=False):
        latest = latest_round(None, city)  # the home page is the same for everyone: published only
        s = round_score(latest) if latest else None
        cards.append({"city": city, "round": latest, "score": s})
    return cards


def index_facts() -> dict[str, Any]:
    """Published facts about the Index (sample growth, versions), with their sources."""
    return dict(content.read_content_data("reference/icc-index.yaml", content.IndexReference))


# --- the workspace ----------------------------------------------------------------------------


def visible_rounds(user: Visitor, city: City) -> list[AssessmentRound]:
    """The city's rounds this person may see, newest first."""
    return list(rounds_for(user).filter(city=city).order_by("-year"))


def versions_of_kind(kind: str) -> list[QuestionnaireVersion]:
    """The stored questionnaire versions of one kind: "index" (scored) or "survey"."""
    return [v for v in QuestionnaireVersion.objects.all() if engine_questionnaire(v).kind == kind]


def surveys(language: str) -> list[tuple[str, str]]:
    """The survey questionnaires (not scored) that any authority can answer: (version, title)."""
    return [(v.version, engine_questionnaire(v).title.get(language)) for v in versions_of_kind("survey")]


def index_areas(language: str) -> list[tuple[str, str]]:
    """The areas of the current Index questionnaire: (id, name in the language)."""
    return [(i.id, i.name.get(language)) for i in load_questionnaire().indicators]


def workspace_cities(user: User) -> list[dict[str, Any]]:
    """The cities on a person's workspace page, with their roles and rounds."""
    cities: dict[int, dict[str, Any]] = {}
    if permissions.is_secretariat(user):
        for city in City.objects.filter(synthetic=False):
            cities[city.pk] = {"city": city, "roles": [gettext("Secretariat")]}
    for m in user.memberships.select_related("city"):
        entry = cities.setdefault(m.city_id, {"city": m.city, "roles": []})
        entry["roles"].append(m.get_role_display())
    for scope in user.viewer_scopes.all():
        in_scope = City.objects.filter(synthetic=False, country=scope.country)
        if scope.region:
            in_scope = in_scope.filter(region=scope.region)
        for city in in_scope:
            cities.setdefault(city.pk, {"city": city, "roles": [gettext("Viewer")]})
    for entry in cities.values():
        entry["rounds"] = visible_rounds(user, entry["city"])
        entry["workspace"] = permissions.can_see_drafts(user, entry["city"])
    return sorted(cities.values(), key=lambda e: e["city"].name)


@dataclass
class AreaProgress:
    indicator: Indicator
    name: str
    answered: int
    total: int
    mandatory_answered: int
    mandatory_total: int
    assignees: list[Any]
    can_edit: bool

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 100


def round_progress(round_: AssessmentRound, user: Visitor, language: str) -> dict[str, Any]:
    """Answered questions per area and overall, who works on each area, who may edit it."""
    q = engine_questionnaire(round_.questionnaire)
    answered = {qid for qid, v in round_.answers.values_list("question_id", "value") if not is_blank(v)}
    assignees: dict[str, list[Any]] = {}
    for a in round_.assignments.select_related("user"):
        assignees.setdefault(a.indicator_id, []).append(a.user)
    areas = []
    for ind in q.indicators:
        questions = q.questions_of(ind.id)
        areas.append(
            AreaProgress(
                indicator=ind,
                name=ind.name.get(language),
                answered=sum(x.id in answered for x in questions),
                total=len(questions),
                mandatory_answered=sum(x.id in answered for x in questions if x.mandatory),
                mandatory_total=sum(x.mandatory for x in questions),
                assignees=assignees.get(ind.id, []),
                can_edit=permissions.can_edit_area(user, round_, ind.id),
            )
        )
    total = sum(a.total for a in areas)
    done = sum(a.answered for a in areas)
    return {
        "areas": areas,
        "answered": done,
        "total": total,
        "percent": round(100 * done / total) if total else 100,
        "mandatory_missing": sum(a.mandatory_total - a.mandatory_answered for a in areas),
    }


def area_questions(round_: AssessmentRound, indicator_id: str, language: str) -> list[dict[str, Any]]:
    """The questions of one area with the stored answers and the review comments on each."""
    q = engine_questionnaire(round_.questionnaire)
    answers = {
        a.question_id: a
        for a in round_.answers.filter(question_id__in=[x.id for x in q.questions_of(indicator_id)])
    }
    comments: dict[str, list[Any]] = {}
    for c in round_.review_comments.exclude(question_id="").select_related("author"):
        comments.setdefault(c.question_id, []).append(c)
    return [
        answer_context(x, answers.get(x.id), language, comments.get(x.id, []))
        for x in q.questions_of(indicator_id)
    ]


def answer_context(
    question: Any, answer: Answer | None, language: str, comments: list[Any] | None = None
) -> dict[str, Any]:
    value = answer.value if answer else None
    chosen = set(value) if isinstance(value, list | dict) else {value}
    return {
        "q": question,
        "text": question.text.get(language),
        "fallback": not question.text.has(language),
        "number": appendix_number(question.id),  # a survey question's number as printed; None in the Index
        "evidence_prompt": question.evidence_prompt.get(language),
        "options": [
            {
                "id": o.id,
                "label": o.label.get(language),
                "checked": o.id in chosen,
                "rating": value.get(o.id, "") if isinstance(value, dict) else "",
            }
            for o in question.options
        ],
        "answer": answer,
        "value": value,
        "version": answer.version if answer else 0,
        "evidence_text": "\n".join(answer.evidence) if answer else "",
        "comments": comments or [],
    }


def answer_history(round_: AssessmentRound, question_id: str) -> list[AnswerChange]:
    """Newest first; each row knows the whole answer before and after it (old_value etc.)."""
    rows = AnswerChange.objects.filter(answer__round=round_, answer__question_id=question_id)
    return with_states(rows.select_related("changed_by"))[::-1]


def value_label(question: Any, value: Any, language: str) -> str:
    """An answer as a person reads it: option labels rather than ids."""
    if is_blank(value):
        return "—"
    labels = {o.id: o.label.get(language) for o in question.options}
    if isinstance(value, list):
        return "; ".join(labels.get(v, str(v)) for v in value)
    if isinstance(value, dict):  # a rating question: each option's rating
        return "; ".join(f"{labels.get(k, k)}: {v}" for k, v in value.items())
    return labels.get(value, str(value)) if isinstance(value, str) else str(value)


def round_trend(user: Visitor, city: City, language: str) -> list[dict[str, Any]]:
    """Lens, core and extended index of each round this person may see, oldest first."""
    rows = []
    for r in reversed(visible_rounds(user, city)):
        s = round_score(r)
        rows.append(
            {
                "round": r,
                "year": r.year,
                "lens": s.lens,
                "core_index": s.core_index,
                "extended_index": s.extended_index,
            }
        )
    return rows


# --- review ------------------------------------------------------------------------------------

# Rounds waiting for a reviewer, or sent back to the city and not resubmitted yet.
REVIEW_STATUSES = (
    AssessmentRound.Status.SUBMITTED,
    AssessmentRound.Status.CHANGES_REQUESTED,
    AssessmentRound.Status.VALIDATED,
)


def rounds_in_review(user: Visitor) -> list[AssessmentRound]:
    """The rounds this person reviews (the secretariat: every city; an expert: their cities) that
    are submitted, sent back for changes or validated."""
    return [
        r
        for r in rounds_for(user).filter(status__in=REVIEW_STATUSES, city__synthetic=False)
        if permissions.can_review(user, r.city)
    ]


def review_queue(user: Visitor, language: str) -> list[dict[str, Any]]:
    """rounds_in_review() with their submission date and progress: submitted rounds first, then
    those sent back, then the validated ones; the oldest submission first within each."""
    rounds = rounds_in_review(user)
    submitted: dict[int, Any] = {}
    for event in RoundEvent.objects.filter(round__in=rounds, to_status=AssessmentRound.Status.SUBMITTED):
        submitted[event.round_id] = event.at  # events come oldest first: the latest submission wins
    rows = [
        {
            "round": r,
            "city": r.city,
            "name": r.city.localized_name(language),
            "submitted_at": submitted.get(r.pk),
            "progress": round_progress(r, user, language),
            "comments": r.review_comments.count(),
        }
        for r in rounds
    ]
    order = {status: i for i, status in enumerate(REVIEW_STATUSES)}
    return sorted(
        rows, key=lambda row: (order[row["round"].status], str(row["submitted_at"] or ""), row["name"])
    )


def previous_round(user: Visitor, round_: AssessmentRound) -> AssessmentRound | None:
    """The city's latest round before this one that `user` may see."""
    return rounds_for(user).filter(city=round_.city, year__lt=round_.year).order_by("-year").first()


def _same_value(question: Any, a: Any, b: Any) -> bool:
    if question.type == "multiple_choice" and isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return bool(a == b)


def answer_change(question: Any, now: Any, before: Any, previous_known: bool) -> str:
    """How an answer differs from the previous round's: "new" (nothing to compare with: no answer
    then, or the question was not asked), "changed", "unchanged", or "" without a previous round."""
    if not previous_known:
        return ""
    if is_blank(before):
        return "unchanged" if is_blank(now) else "new"
    return "unchanged" if _same_value(question, now, before) else "changed"


def review_areas(
    round_: AssessmentRound, user: Visitor, language: str, only_changes: bool = False
) -> dict[str, Any]:
    """The review page: every area's questions with this round's answer, the previous round's
    answer beside it (the city's latest earlier round that `user` may see, on the same question
    id), how it changed, and the review comments on it."""
    q = engine_questionnaire(round_.questionnaire)
    answers = {a.question_id: a for a in round_.answers.all()}
    before = previous_round(user, round_)
    old_answers = {a.question_id: a for a in before.answers.all()} if before else {}
    old_q = engine_questionnaire(before.questionnaire) if before else None
    old_questions = {x.id: x for x in old_q.questions} if old_q else {}
    comments: dict[str, list[Any]] = {}
    for c in round_.review_comments.select_related("author"):
        comments.setdefault(c.question_id, []).append(c)
    counts = {"changed": 0, "new": 0, "unchanged": 0}
    areas = []
    for ind in q.indicators:
        rows = []
        for x in q.questions_of(ind.id):
            now = answers.get(x.id)
            old = old_answers.get(x.id)
            asked_before = x.id in old_questions
            change = answer_change(
                x, now.value if now else None, old.value if old else None, before is not None
            )
            if change:
                counts[change] += 1
            if only_changes and change not in ("changed", "new"):
                continue
            rows.append(
                {
                    "q": x,
                    "text": x.text.get(language),
                    "value": value_label(x, now.value if now else None, language),
                    "answer": now,
                    "previous": value_label(old_questions[x.id], old.value, language)
                    if old and asked_before
                    else None,
                    "previous_answer": old if asked_before else None,
                    "asked_before": asked_before,
                    "change": change,
                    "comments": comments.get(x.id, []),
                }
            )
        areas.append({"id": ind.id, "name": ind.name.get(language), "questions": rows})
    return {
        "areas": areas,
        "previous": before,
        "other_version": before is not None and before.questionnaire_id != round_.questionnaire_id,
        "counts": counts,
        "round_comments": comments.get("", []),
    }


def commented_questions(round_: AssessmentRound, language: str) -> list[dict[str, Any]]:
    """The questions that reviewers commented on, in questionnaire order, with their area."""
    q = engine_questionnaire(round_.questionnaire)
    counts: dict[str, int] = {}
    for qid in round_.review_comments.exclude(question_id="").values_list("question_id", flat=True):
        counts[qid] = counts.get(qid, 0) + 1
    return [
        {
            "q": x,
            "text": x.text.get(language),
            "area": q.indicator(x.indicator).name.get(language),
            "comments": counts[x.id],
        }
        for x in q.questions
        if x.id in counts
    ]


def round_history(round_: AssessmentRound) -> list[dict[str, Any]]:
    """The round's steps as lines in the reader's language (the note is the person's own words)."""
    S = AssessmentRound.Status
    lines = []
    for e in round_.events.select_related("user"):
        if not e.from_status:
            if e.carried_from is not None:
                text = ngettext(
                    "Round opened from the %(year)d answers (%(n)d answer carried over)",
                    "Round opened from the %(year)d answers (%(n)d answers carried over)",
                    e.carried_over or 0,
                ) % {"year": e.carried_from, "n": e.carried_over or 0}
            else:
                text = gettext("Round opened")
        else:
            labels: dict[str, str] = {
                S.SUBMITTED: gettext("Submitted for validation"),
                S.CHANGES_REQUESTED: gettext("Changes requested from the city"),
                S.VALIDATED: gettext("Validated by the secretariat"),
                S.PUBLISHED: gettext("Results published"),
                S.DRAFT: gettext("Back to draft"),
            }
            text = labels.get(e.to_status, e.get_to_status_display())
        lines.append({"event": e, "text": text, "user": e.user, "note": e.note})
    return lines
