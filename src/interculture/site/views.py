"""The pages that span the domains: the home page, a city's results (or its profile) and a
person's workspace (their cities, programmes and surveys)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext

from interculture import charts
from interculture.accounts import permissions
from interculture.accounts.types import AuthedRequest
from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound, City, QuestionnaireVersion
from interculture.assessments.services.questionnaires import engine_questionnaire
from interculture.coordination.selectors import city_peers, like_city_practices
from interculture.i18n import current_language
from interculture.kept import kept
from interculture.pathway import selectors as pathway
from interculture.pathway.models import Programme
from interculture.practices import search as practice_search
from interculture.practices.selectors import practices_fingerprint, suggest


def home(request: HttpRequest) -> HttpResponse:
    language = current_language()
    practices = practice_search.search("", {}, sort="-start", per_page=6, with_facets=False)
    cards = selectors.city_cards()
    for card in cards:
        city = card["city"]
        assert isinstance(city, City)
        card["name"] = city.localized_name(language)
    return render(
        request,
        "site/home.html",
        {
            "cards": cards,
            "practices": practices,
            "practice_hits": practice_search.localize(practices.hits, language),
            "synthetic_count": City.objects.filter(synthetic=True).count(),
            "questionnaires": [
                (qv, engine_questionnaire(qv).title.get(language))
                for qv in QuestionnaireVersion.objects.all()
            ],
        },
    )


def _results(round_: AssessmentRound, language: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The rates against the sample, and practices and peers for the three areas furthest below
    the sample mean."""
    page = selectors.results_page(round_, language)
    gaps = [
        (r["sample"].stats.mean - r["rate"], r)
        for r in page["rows"]
        if r["rate"] is not None and r["sample"].stats.mean is not None and r["rate"] < r["sample"].stats.mean
    ]
    weakest = [r for _, r in sorted(gaps, key=lambda g: -g[0])[:3]]
    suggestions = [
        {
            "row": r,
            "practices": [s.as_dict(language) for s in suggest(round_, r["measure"], 3)],
            "peers": city_peers(round_, r["measure"], 3),
            "like_cities": [
                {**x, "title": x["titles"].get(language) or x["titles"].get("en", x["slug"])}
                for x in like_city_practices(round_, r["measure"], 3)
            ],
        }
        for r in weakest
    ]
    return page, suggestions


def city_results(request: HttpRequest, slug: str, year: int | None = None) -> HttpResponse:
    """A round's results. Unpublished rounds exist only for the people who may see drafts; a city
    with no round the person may see has its profile, which says that no results are published."""
    city = get_object_or_404(City, slug=slug)
    rounds = selectors.visible_rounds(request.user, city)
    round_ = next((r for r in rounds if r.year == year), None) if year else (rounds[0] if rounds else None)
    language = current_language()
    if round_ is None and year is None:
        return render(
            request,
            "site/city_profile.html",
            {
                "city": city,
                "name": city.localized_name(language),
                "programmes": city.programmes.all(),
                "timeline": pathway.timeline(city, request.user),
                "can_read_pathway": permissions.can_read_pathway(request.user, city),
            },
        )
    if round_ is None:
        raise Http404("No such assessment round")
    if round_.status == AssessmentRound.Status.PUBLISHED:  # published content only: kept
        inputs = (selectors.published_round_fingerprint(round_), practices_fingerprint(), language)
        page, suggestions = kept("results-page", inputs, lambda: _results(round_, language))
    else:
        page, suggestions = _results(round_, language)
    name = city.localized_name(language)
    trend = selectors.round_trend(request.user, city, language)
    return render(
        request,
        "site/city_results.html",
        {
            "round": round_,
            "city": city,
            "name": name,
            "questionnaire_title": engine_questionnaire(round_.questionnaire).title.get(language),
            "suggestions": suggestions,
            "chart": _rates_chart(page, name),
            "trend": trend,
            "trend_chart": charts.index_trend_chart(trend),
            "other_rounds": [r for r in rounds if r.pk != round_.pk],
            "can_see_workspace": permissions.can_see_drafts(request.user, city),
            "can_read_pathway": permissions.can_read_pathway(request.user, city),
            "timeline": pathway.timeline(city, request.user),
            "good_relations": pathway.good_relations_table(city, language)
            if city.good_relations.exists()
            else None,
            **page,
        },
    )


def _rates_chart(page: dict[str, Any], name: str) -> str:
    """The round's rates beside the means of the whole sample and of its size and diversity bands."""
    series = [
        name,
        gettext("Sample mean"),
        gettext("Mean, size %(band)s") % {"band": page["size_band"]},
        gettext("Mean, born abroad %(band)s") % {"band": page["diversity_band"]},
    ]
    return charts.rates_chart(
        [
            {
                "label": r["label"],
                "values": dict(
                    zip(
                        series,
                        [r["rate"], r["sample"].stats.mean, r["size"].stats.mean, r["diversity"].stats.mean],
                        strict=True,
                    )
                ),
            }
            for r in page["rows"]
        ],
        series,
        axis_title=gettext("Achievement rate (%)"),
    )


@login_required
def workspace(request: AuthedRequest) -> HttpResponse:
    programmes = [
        p
        for p in Programme.objects.prefetch_related("cities")
        if any(permissions.can_read_pathway(request.user, c) for c in p.cities.all())
    ]
    return render(
        request,
        "site/workspace.html",
        {
            "entries": selectors.workspace_cities(request.user),
            "programmes": programmes,
            "surveys": selectors.surveys(current_language()),
            "reviews": permissions.reviews_any_city(request.user),
            "review_count": sum(
                r.status == AssessmentRound.Status.SUBMITTED for r in selectors.rounds_in_review(request.user)
            ),
        },
    )
