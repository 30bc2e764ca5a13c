"""Shared fixtures, and the tiers: markers given by where a test lives (see pytest_collection_modifyitems).

- browser: under tests/browser (all on one xdist worker: they share one live server with the
  demo), or runs a server process of its own (tests.live_server);
- slow: the other tests that take more than ~5 s (SLOW below, from a durations profile);
- demo: a database test that reads the demo data. The demo is loaded only in a session that has
  one; a test that builds its own data with tests/factories.py is marked `factories` instead.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from interculture.engine.loader import load_questionnaire_file
from interculture.engine.schema import Questionnaire
from tests import factories

HERE = Path(__file__).parent

# Embeddings from the deterministic stand-in, also in the servers the tests start (they inherit the
# environment); the cross-lingual tests switch back to the model (the `real_embeddings` fixture).
django_settings.INTERCULTURE_EMBEDDINGS = os.environ.setdefault("INTERCULTURE_EMBEDDINGS", "hash")

# Non-browser tests (ids relative to tests/, or a whole file) that take more than ~5 s each, from
# durations measured on this 2-core machine; `scripts/test --fast` leaves them out.
SLOW = (
    "assessments/test_demo_data.py::test_load_demo_is_idempotent",  # loads the whole demo again
    "reports/test_report.py::test_publication_runs_as_a_job_and_keeps_every_version",  # PDFs
    "reports/test_report.py::test_the_pdf_is_tagged_and_carries_every_rate",
    "reports/test_pdf_layout.py",
    "test_cli.py::test_report_html_and_pdf",
    "test_translation_leaks.py",  # every page in two languages
    "test_deploy.py",  # Django's deploy check in a process of its own
    "test_authorization_matrix.py::test_authorization_matrix[GET /reports/{city}/2025/]",
    "engine/test_properties.py::test_every_rate_is_between_0_and_100",
)


def _relative(item: pytest.Item) -> str:
    return Path(str(item.path)).relative_to(HERE).as_posix()


def _uses_a_server_process(item: pytest.Item) -> bool:
    from tests import live_server

    if item.get_closest_marker("live_db"):
        return True
    module = getattr(item, "module", None)
    return module is not None and any(value is live_server for value in vars(module).values())


def _uses_the_database(item: pytest.Item) -> bool:
    names = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or "db" in names or "transactional_db" in names


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        path = _relative(item)
        if path.startswith("browser/"):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.xdist_group("browser"))  # one session server, one worker
        elif _uses_a_server_process(item):
            item.add_marker(pytest.mark.browser)  # each starts an installation of its own
        elif item.nodeid.removeprefix("tests/").startswith(SLOW):
            item.add_marker(pytest.mark.slow)
        if _uses_the_database(item) and not item.get_closest_marker("factories"):
            item.add_marker(pytest.mark.demo)


_MODEL_VECTORS: dict[str, bytes] = {}  # passage text -> the model's vector, kept for the session


@pytest.fixture
def real_embeddings(settings):  # type: ignore[no-untyped-def]
    """The multilingual-e5 model instead of the stand-in, for the cross-lingual tests: the stored
    practices get the model's vectors (encoded once per session; the test's rollback restores the
    stand-in's), and what the test saves or asks is encoded by the model."""
    from interculture.practices import schema
    from interculture.practices.models import Practice
    from interculture.practices.search import embed_passages
    from interculture.practices.services.prepared import embedding_text

    settings.INTERCULTURE_EMBEDDINGS = "e5"
    texts = {
        pk: embedding_text(schema.Practice.model_validate(data))
        for pk, data in Practice.objects.values_list("pk", "data")
    }
    missing = sorted(set(texts.values()) - set(_MODEL_VECTORS))
    _MODEL_VECTORS.update(zip(missing, embed_passages(missing) or [], strict=True))
    for pk, text in texts.items():
        Practice.objects.filter(pk=pk).update(embedding=_MODEL_VECTORS[text])


@pytest.fixture(scope="session")
def mini() -> Questionnaire:
    return load_questionnaire_file(HERE / "engine" / "mini.yaml")


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """A session with `demo` tests loads the demo data once (each test rolls back); a session of
    `factories` tests only starts from the migrated, empty database."""
    from interculture.site.demo import load_demo

    if any(item.get_closest_marker("demo") for item in request.session.items):
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
    from interculture.assessments.models import AssessmentRound

    hml = factories.hameenlinna()
    other = factories.city("otherby")
    AssessmentRound.objects.create(
        city=other, year=2025, questionnaire=factories.questionnaires()["icc-2019"]
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

    hml = factories.hameenlinna()
    opened = services.open_round(
        hml, 2025, version=factories.questionnaires()["icc-2019"], user=team["coordinator"]
    )
    services.assign_areas(opened.round, team["coordinator"], assignments={"education": [team["contributor"]]})
    return opened.round


@pytest.fixture(autouse=True)
def _each_test_starts_in_english():  # type: ignore[no-untyped-def]
    """A test that renders in fi or sv must not leave its language to the next test of its
    worker (pytest-xdist orders tests differently from run to run)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


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
