"""The questionnaire page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_questionnaire_page(client: Client) -> None:
    html = client.get("/questionnaires/icc-2019/").content.decode()
    assert "86 questions, 73 of them mandatory" in html
