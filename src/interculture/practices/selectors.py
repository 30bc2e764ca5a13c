"""Reading the practice base: fact sheets as a reader sees them, the map, and suggestions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Sum

from interculture.accounts.permissions import is_secretariat
from interculture.accounts.types import Visitor
from interculture.assessments.models import AssessmentRound, City
from interculture.assessments.selectors import round_answers
from interculture.assessments.services import engine_questionnaire
from interculture.engine.benchmarking import diversity_band, size_band
from interculture.engine.scoring import is_blank, question_points
from interculture.practices import geo, labels, schema
from interculture.practices.models import Practice, PracticeFacet
from interculture.practices.search import embeddings_available, full_text_ranks
from interculture.practices.topics import topic_scores


def visible(user: Visitor) -> Any:
    """Practices a user may read: published ones, plus the secretariat's queue and one's own."""
    qs = Practice.objects.all()
    if is_secretariat(user):
        return qs
    if user is not None and user.is_authenticated:
        return qs.filter(state=Practice.State.PUBLISHED) | qs.filter(submitted_by=user)
    return qs.filter(state=Practice.State.PUBLISHED)


def fact_sheet(practice: Practice, user: Visitor, language: str) -> dict[str, Any]:
    """The 16 fact-sheet fields in order, plus the structured fields. Contacts only for the secretariat."""
    p = schema.Practice.model_validate(practice.data)
    show_contact = is_secretariat(user)
    values = {
        "title": p.title.get(language),
        "country": labels.country_name(practice.country, language),
        "organiser": p.organiser,
        "start": p.start,
        "finish": p.finish,
        "type": p.type,
        "introduction": p.introduction,
        "policy_challenges": p.policy_challenges,
        "objectives": p.objectives,
        "budget_text": p.budget_text or p.budget.as_stated,
        "activities": p.activities,
        "relations": p.relations,
        "outcomes": p.outcomes,
        "replication": p.replication,
        "evaluation_text": p.evaluation_text,
        "contact": _contact_text(p.contact) if show_contact else None,
    }
    fields = [
        {
            "key": key,
            "label": labels.FIELD_LABELS.get(key, label),
            "value": values[key],
            "restricted": key == "contact" and not show_contact,
            # The fact sheets' free text is written in English; the page says so to readers.
            "english": language != "en" and key not in ("title", "country", "contact"),
        }
        for key, label in schema.FACT_SHEET_FIELDS
    ]
    return {
        "practice": practice,
        "p": p,
        "title": p.title.get(language),
        "title_fallback": not p.title.has(language),
        "summary": p.summary.get(language),
        "summary_fallback": not p.summary.has(language),
        "draft_translation": p.translation_status.get(language) == "draft",
        "fields": fields,
        "evaluation": [
            {
                "name": labels.VALUE_LABELS["criterion"][c],
                "rating": labels.VALUE_LABELS["rating"][getattr(p.evaluation, c).rating.value],
                "evidence": getattr(p.evaluation, c).evidence,
            }
            for c in schema.CRITERIA
        ],
        "classification": _classification(practice, p, language),
        "show_contact": show_contact,
    }


def _classification(practice: Practice, p: schema.Practice, language: str) -> dict[str, str]:
    """The structured fields in the reader's words (codes such as `socio_economic` become labels)."""

    def label(key: str, value: str) -> str:
        return labels.value_label(key, value)

    place = [x for x in (practice.city, practice.region) if x]
    return {
        "place": ", ".join([*place, labels.country_name(practice.country, language)]),
        "level": label("level", p.level.value),
        "dimension": f"{label('dimension', p.dimension.value)} — {label('subcategory', p.subcategory)}",
        "icc_areas": ", ".join(labels.area_name(a, language) for a in p.icc_areas),
        "target_groups": ", ".join(label("target_group", g) for g in p.target_groups),
        "funding": ", ".join(label("funding", f.value) for f in p.funding),
        "status": label("status", p.status.value),
    }


def _contact_text(contact: schema.Contact | None) -> str:
    if contact is None:
        return ""
    return ", ".join(v for v in (contact.name, contact.organisation, contact.email, contact.phone) if v)


# The map frames Europe, where the programme's cities are; places outside are listed below it.
EUROPE = {"lon": (-25.0, 45.0), "lat": (34.0, 72.0)}
CLUSTER_DEGREES = 1.0  # places closer than about this are drawn as one circle on the static map


def placed_practices(practices: Any, language: str = "en") -> list[dict[str, Any]]:
    """Every practice with where the map puts it: its city's coordinates; else a city its
    region's name mentions; else the centre of its country (`placement` says which), so a
    practice that names only a region or a country is on the map too."""
    centres = geo.country_centres()
    found = []
    for p in practices.order_by("country", "city", "region", "title"):
        place, placement = p.city or p.region, "city"
        latitude, longitude = p.latitude, p.longitude
        if latitude is None and p.region:
            near = geo.region_place(p.region, p.country)
            if near is not None:
                latitude, longitude, _city = near
                placement = "region"
        if latitude is None and p.country in centres:
            latitude, longitude = centres[p.country]
            placement = "country"
        if latitude is None:
            continue
        found.append(
            {
                "slug": p.slug,
                "title": p.data["title"].get(language) or p.data["title"]["en"],
                "place": place or labels.country_name(p.country, language),
                "country": p.country,
                "country_name": labels.country_name(p.country, language),
                "latitude": latitude,
                "longitude": longitude,
                "placement": placement,
            }
        )
    return found


def map_points(placed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Placed practices grouped where they cluster, for the static map and its table."""
    cells: dict[tuple[int, int], dict[str, Any]] = {}
    for p in placed:
        key = (round(p["latitude"] / CLUSTER_DEGREES), round(p["longitude"] / (CLUSTER_DEGREES * 1.5)))
        cell = cells.setdefault(
            key,
            {"places": {}, "country": p["country"], "country_name": p["country_name"], "lat": [], "lon": [],
             "practices": []},
        )  # fmt: skip
        cell["places"][p["place"]] = cell["places"].get(p["place"], 0) + 1
        cell["lat"].append(p["latitude"])
        cell["lon"].append(p["longitude"])
        cell["practices"].append(p)
    points = []
    for cell in cells.values():
        latitude, longitude = sum(cell["lat"]) / len(cell["lat"]), sum(cell["lon"]) / len(cell["lon"])
        points.append(
            {
                "place": ", ".join(sorted(cell["places"], key=lambda k: -cell["places"][k])),
                "country": cell["country"],
                "country_name": cell["country_name"],
                "latitude": latitude,
                "longitude": longitude,
                "count": len(cell["practices"]),
                "practices": cell["practices"],
                "in_europe": EUROPE["lon"][0] <= longitude <= EUROPE["lon"][1]
                and EUROPE["lat"][0] <= latitude <= EUROPE["lat"][1],
            }
        )
    return sorted(points, key=lambda g: (g["country_name"], g["place"]))


def map_places(placed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Placed practices grouped by their exact place: one marker each on the interactive map."""
    places: dict[tuple[float, float], dict[str, Any]] = {}
    for p in placed:
        place = places.setdefault(
            (p["latitude"], p["longitude"]),
            {"place": p["place"], "country": p["country_name"], "lat": p["latitude"], "lon": p["longitude"],
             "placement": p["placement"], "practices": []},
        )  # fmt: skip
        place["practices"].append({"title": p["title"], "slug": p["slug"], "place": p["place"]})
    return list(places.values())


# --- suggestions --------------------------------------------------------------------------------


@dataclass
class Suggestion:
    practice: Practice
    score: float
    reasons: list[str] = field(default_factory=list)

    def as_dict(self, language: str = "en") -> dict[str, Any]:
        p = self.practice
        return {
            "id": p.slug,
            "title": p.data["title"].get(language) or p.data["title"]["en"],
            "city": p.city or p.region,
            "country": p.country,
            "score": round(self.score, 4),
            "reasons": self.reasons,
        }


# Embedding cost grows with text length; the first unmet questions carry the topic well enough.
TOPIC_CHARACTERS = 600


def unmet_questions(round_: AssessmentRound, area: str) -> list[str]:
    """Ids of the questions of `area` where the round falls short."""
    q = engine_questionnaire(round_.questionnaire)
    answers = round_answers(round_)
    unmet = []
    for question in q.questions_of(area):
        if not question.scored:
            continue
        value = answers.get(question.id)
        earned = 0.0 if is_blank(value) else question_points(question, value)  # type: ignore[arg-type]
        if earned < question.max_score:
            unmet.append(question.id)
    return unmet


class UnknownArea(KeyError):
    """No such ICC area in the questionnaire of the city's round."""


def practices_fingerprint() -> dict[str, Any]:
    """Changes whenever the suggestions may: a fact sheet is added, changed or removed (every
    write of one sets its updated_at), or a city's size or diversity is."""
    return {
        **Practice.objects.aggregate(n=Count("pk"), changed=Max("updated_at")),
        **City.objects.aggregate(
            cities=Count("pk"), people=Sum("population"), born_abroad=Sum("foreign_born_share")
        ),
    }


def suggest(round_: AssessmentRound, area: str, n: int = 3) -> list[Suggestion]:
    """Practices relevant to the questions the round's city has not met in `area`.

    The caller passes a round the reader may see (assessments.selectors.get_round): the
    suggestions follow its answers. Relevance is the similarity of a practice to the unmet
    questions (embeddings when available, else full text), with a preference for cities of the
    same size and diversity band. The city's own practices are left out, and so is synthetic
    content.
    """
    city = round_.city
    q = engine_questionnaire(round_.questionnaire)
    if area not in {i.id for i in q.indicators}:
        raise UnknownArea(f"unknown ICC area {area!r}")
    unmet = [q.question(qid) for qid in unmet_questions(round_, area)]
    topic = (
        " ".join(f"{x.text.en} {x.recommendation.en if x.recommendation else ''}" for x in unmet)
        or q.indicator(area).purpose.en
    )[:TOPIC_CHARACTERS]
    candidates = (
        Practice.objects.filter(state=Practice.State.PUBLISHED, synthetic=False)
        .filter(pk__in=PracticeFacet.objects.filter(key="icc_area", value=area).values("practice_id"))
        .exclude(home_city=city)
        .exclude(city__iexact=city.name, country=city.country)
    )
    ids = list(candidates.values_list("pk", flat=True))
    if not ids:
        return []
    if embeddings_available():
        relevance = topic_scores(round_.questionnaire, [x.id for x in unmet], area, ids)
        low = min(relevance.values(), default=0.0)
        span = (max(relevance.values(), default=1.0) - low) or 1.0
        relevance = {pk: (s - low) / span for pk, s in relevance.items()}
    else:
        ranks = full_text_ranks(topic, f"p.id IN ({', '.join(['%s'] * len(ids))})", ids)
        top = max(ranks.values(), default=0.0) or 1.0
        relevance = {pk: r / top for pk, r in ranks.items()}
    my_size, my_diversity = size_band(city.population), diversity_band(city.foreign_born_share)
    ranked = []
    for p in candidates.select_related("home_city"):
        reasons = []
        score = 0.7 * relevance.get(p.pk, 0.0)
        if p.data.get("icc_areas", [None])[0] == area:
            score += 0.1
            reasons.append(f"illustrates {area} first of all")
        if p.population and size_band(p.population) == my_size:
            score += 0.1
            reasons.append(f"city of the same size band ({my_size})")
        if p.home_city is not None and diversity_band(p.home_city.foreign_born_share) == my_diversity:
            score += 0.1
            reasons.append(f"city of the same diversity band ({my_diversity})")
        if unmet:
            reasons.insert(0, "addresses unmet questions: " + ", ".join(x.id for x in unmet))
        ranked.append(Suggestion(p, score, reasons))
    ranked.sort(key=lambda s: (-s.score, s.practice.slug))
    return ranked[:n]
