from pathlib import Path

import pytest

from interculture.engine.loader import load_questionnaire_file
from interculture.engine.schema import Questionnaire

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def mini() -> Questionnaire:
    return load_questionnaire_file(HERE / "engine" / "mini.yaml")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """Every database test starts from the demo data (loaded once; each test rolls back)."""
    from interculture.site.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture
def team(db):  # type: ignore[no-untyped-def]
    """One person per role around Hämeenlinna, and a second city ("Otherby") with a draft round.

    Returns a dict: role name -> User (plus "other_coordinator", coordinator of Otherby).
    """
    from django.contrib.auth.models import User

    from interculture.accounts import services as accounts
    from interculture.accounts.models import Role, ViewerScope
    from interculture.assessments.models import AssessmentRound, City, QuestionnaireVersion

    hml = City.objects.get(slug="hameenlinna")
    other = City.objects.create(
        slug="otherby",
        name="Otherby",
        names={"en": "Otherby"},
        country="SE",
        population=50_000,
        population_year=2024,
        population_source="test fixture",
        foreign_born_share=12.0,
        foreign_born_year=2024,
        foreign_born_source="test fixture",
    )
    AssessmentRound.objects.create(
        city=other, year=2025, questionnaire=QuestionnaireVersion.objects.get(version="icc-2019")
    )
    people = {}
    for name in [
        "secretariat",
        "expert",
        "coordinator",
        "contributor",
        "viewer",
        "other_coordinator",
        "outsider",
    ]:
        people[name] = User.objects.create_user(name, f"{name}@example.org", "pw-" + name + "-123456")
    accounts.make_secretariat(people["secretariat"])
    accounts.add_member(people["expert"], hml, Role.EXPERT)
    accounts.add_member(people["coordinator"], hml, Role.COORDINATOR, "Integration services")
    accounts.add_member(people["contributor"], hml, Role.CONTRIBUTOR, "Education")
    accounts.add_member(people["other_coordinator"], other, Role.COORDINATOR)
    ViewerScope.objects.create(user=people["viewer"], country="FI")
    return people


@pytest.fixture
def tokens(team):  # type: ignore[no-untyped-def]
    """An API token per person of `team`: role name -> the token's secret."""
    from interculture.accounts import services as accounts

    return {name: accounts.create_token(user, "matrix")[1] for name, user in team.items()}


@pytest.fixture
def draft_round(team):  # type: ignore[no-untyped-def]
    """Hämeenlinna 2025, opened by its coordinator from the 2023 answers, education assigned."""
    from interculture.assessments import services
    from interculture.assessments.models import City, QuestionnaireVersion

    hml = City.objects.get(slug="hameenlinna")
    opened = services.open_round(
        hml, 2025, version=QuestionnaireVersion.objects.get(version="icc-2019"), user=team["coordinator"]
    )
    services.assign_areas(opened.round, team["coordinator"], assignments={"education": [team["contributor"]]})
    return opened.round


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Tests create many users; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _static_files_unhashed(settings):  # type: ignore[no-untyped-def]
    """pytest-django runs with DEBUG off, where the production storage needs `collectstatic`'s
    manifest; the in-process tests use the plain storage (the live servers collect for real)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT = None  # nothing collected: WhiteNoise serves from the source folders
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture(autouse=True)
def _nothing_kept_from_another_test():  # type: ignore[no-untyped-def]
    """interculture.kept keeps values in the process by a fingerprint of their inputs; a test's
    rollback can bring back a fingerprint that another test's data had (SQLite reuses ids)."""
    from interculture import kept

    kept._here.clear()
