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
    from interculture.assessments.services import load_demo

    with django_db_blocker.unblock():
        load_demo()
