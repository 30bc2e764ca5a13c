from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language, gettext

from interculture import charts
from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound, City, QuestionnaireVersion
from interculture.assessments.services import engine_questionnaire
from interculture.practices import search as practice_search
from interculture.practices.selectors import suggest


def home(request: HttpRequest) -> HttpResponse:
    practices = practice_search.search("", {}, sort="-start", per_page=6, with_facets=False)
    return render(
        request,
        "assessments/home.html",
        {
            "cards": selectors.city_cards(),
            "practices": practices,
            "practice_hits": practice_search.localize(practices.hits, get_language() or "en"),
            "synthetic_count": City.objects.filter(synthetic=True).count(),
            "questionnaires": QuestionnaireVersion.objects.all(),
        },
    )


def city_results(request: HttpRequest, slug: str, year: int | None = None) -> HttpResponse:
    try:
        round_ = selectors.get_round(slug, year)
    except AssessmentRound.DoesNotExist as exc:
        raise Http404("No such assessment round") from exc
    language = get_language() or "en"
    page = selectors.results_page(round_, language)
    # Practices from other cities for the three areas furthest below the sample mean.
    gaps = [
        (r["sample"].stats.mean - r["rate"], r)
        for r in page["rows"]
        if r["rate"] is not None and r["sample"].stats.mean is not None and r["rate"] < r["sample"].stats.mean
    ]
    weakest = [r for _, r in sorted(gaps, key=lambda g: -g[0])[:3]]
    suggestions = [
        {
            "row": r,
            "practices": [s.as_dict(language) for s in suggest(round_.city, r["measure"], 3, round_.year)],
        }
        for r in weakest
    ]
    chart = charts.rates_chart(
        [{"label": r["label"], "rate": r["rate"], "sample": r["sample"].stats.mean} for r in page["rows"]],
        round_.city.localized_name(language),
        sample_label=gettext("Sample mean"),
        axis_title=gettext("Achievement rate (%)"),
    )
    return render(
        request,
        "assessments/city_results.html",
        {"round": round_, "city": round_.city, "suggestions": suggestions, "chart": chart, **page},
    )


def questionnaire(request: HttpRequest, version: str) -> HttpResponse:
    stored = get_object_or_404(QuestionnaireVersion, version=version)
    q = engine_questionnaire(stored)
    language = get_language() or "en"
    areas = [
        {
            "indicator": ind,
            "name": ind.name.get(language),
            "purpose": ind.purpose.get(language),
            "questions": [
                {"q": qu, "text": qu.text.get(language), "fallback": not qu.text.has(language)}
                for qu in q.questions_of(ind.id)
            ],
        }
        for ind in q.indicators
    ]
    return render(
        request,
        "assessments/questionnaire.html",
        {
            "stored": stored,
            "title": q.title.get(language),
            "q": q,
            "areas": areas,
            "facts": selectors.index_facts(),
            "counts": {
                "questions": len(q.questions),
                "mandatory": sum(x.mandatory for x in q.questions),
                "core": sum(x.core for x in q.questions),
            },
        },
    )
