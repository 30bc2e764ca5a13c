from pathlib import Path

import pytest

from interculture.engine.loader import load_questionnaire_file
from interculture.engine.schema import Questionnaire

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def mini() -> Questionnaire:
    return load_questionnaire_file(HERE / "engine" / "mini.yaml")
