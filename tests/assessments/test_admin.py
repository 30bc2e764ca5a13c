"""The Django admin: the questionnaire import (validated YAML) and the pages the secretariat uses."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from interculture.accounts.models import CityMembership
from interculture.assessments.models import AssessmentRound, City, QuestionnaireVersion

pytestmark = pytest.mark.django_db

MINI = Path(__file__).parent.parent / "engine" / "mini.yaml"
ADD = "/admin/assessments/questionnaireversion/add/"


@pytest.fixture
def admin_client_() -> Client:
    c = Client()
    c.force_login(User.objects.create_superuser("root", "root@example.org", "root-pw-123456"))
    return c


def upload(text: str, name: str = "questionnaire.yaml") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="application/x-yaml")


def mini_text(version: str | None = None) -> str:
    text = MINI.read_text(encoding="utf-8")
    return text if version is None else text.replace("version: mini-1", f"version: {version}", 1)


def test_uploading_a_questionnaire_stores_the_version_read_from_the_file(admin_client_: Client) -> None:
    version = yaml.safe_load(mini_text())["version"]
    assert not QuestionnaireVersion.objects.filter(version=version).exists()
    r = admin_client_.post(ADD, {"upload": upload(mini_text(), "mini.yaml"), "source_yaml": ""})
    assert r.status_code == 302
    stored = QuestionnaireVersion.objects.get(version=version)
    assert stored.title == "Mini questionnaire" and stored.source_yaml == mini_text()
    assert r["Location"] == "/admin/assessments/questionnaireversion/"


def test_pasted_yaml_is_imported_too(admin_client_: Client) -> None:
    r = admin_client_.post(ADD, {"source_yaml": mini_text("mini-pasted")})
    assert r.status_code == 302
    assert QuestionnaireVersion.objects.filter(version="mini-pasted").exists()


def test_a_file_missing_a_field_is_refused_with_its_line(admin_client_: Client) -> None:
    broken = mini_text("mini-broken").replace("    mandatory: true\n", "", 1)
    count = QuestionnaireVersion.objects.count()
    r = admin_client_.post(ADD, {"upload": upload(broken), "source_yaml": ""})
    html = r.content.decode()
    assert r.status_code == 200
    assert "line " in html and "mandatory" in html and "Field required" in html
    assert QuestionnaireVersion.objects.count() == count
    assert not QuestionnaireVersion.objects.filter(version="mini-broken").exists()


def test_a_yaml_syntax_error_is_refused_with_its_line(admin_client_: Client) -> None:
    broken = mini_text("mini-broken") + "questions: [unclosed\n"
    count = QuestionnaireVersion.objects.count()
    r = admin_client_.post(ADD, {"upload": upload(broken), "source_yaml": ""})
    assert r.status_code == 200
    assert "line " in r.content.decode() and "(yaml)" in r.content.decode()
    assert QuestionnaireVersion.objects.count() == count


def test_an_empty_form_asks_for_a_file(admin_client_: Client) -> None:
    r = admin_client_.post(ADD, {"source_yaml": "  "})
    assert r.status_code == 200 and "Upload a questionnaire file" in r.content.decode()


def test_a_version_cannot_be_replaced_by_a_file_of_another_version(admin_client_: Client) -> None:
    stored = QuestionnaireVersion.objects.get(version="icc-2019")
    r = admin_client_.post(
        f"/admin/assessments/questionnaireversion/{stored.pk}/change/",
        {"upload": upload(mini_text()), "source_yaml": ""},
    )
    assert r.status_code == 200 and "add it as a new questionnaire version" in r.content.decode()
    assert not QuestionnaireVersion.objects.filter(version="mini-1").exists()


def test_admin_pages_open_for_the_superuser(admin_client_: Client, team) -> None:  # type: ignore[no-untyped-def]
    city = City.objects.get(slug="hameenlinna")
    membership = CityMembership.objects.filter(city=city).first()
    pages = [
        "/admin/",
        "/admin/assessments/city/",
        f"/admin/assessments/city/{city.pk}/change/",
        "/admin/assessments/assessmentround/",
        f"/admin/assessments/assessmentround/{AssessmentRound.objects.filter(city=city).first().pk}/change/",  # type: ignore[union-attr]
        "/admin/accounts/citymembership/",
        f"/admin/accounts/citymembership/{membership.pk}/change/",  # type: ignore[union-attr]
        "/admin/auth/user/",
        f"/admin/auth/user/{team['coordinator'].pk}/change/",
        "/admin/assessments/questionnaireversion/",
        ADD,
    ]
    for page in pages:
        assert admin_client_.get(page).status_code == 200, page


def test_the_city_page_lists_its_members(admin_client_: Client, team) -> None:  # type: ignore[no-untyped-def]
    city = City.objects.get(slug="hameenlinna")
    html = admin_client_.get(f"/admin/assessments/city/{city.pk}/change/").content.decode()
    assert "memberships-TOTAL_FORMS" in html and "Integration services" in html


def test_the_user_page_shows_the_persons_roles(admin_client_: Client, team) -> None:  # type: ignore[no-untyped-def]
    html = admin_client_.get(f"/admin/auth/user/{team['contributor'].pk}/change/").content.decode()
    assert "memberships-TOTAL_FORMS" in html and "Education" in html


def test_the_admin_is_the_secretariats_whatever_permissions_a_staff_account_holds(team) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Permission

    staff = User.objects.create_user("staff-only", "staff@example.org", "staff-pw-123456", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="assessments"))
    c = Client()
    c.force_login(staff)
    round_ = AssessmentRound.objects.filter(city__slug="hameenlinna").first()
    assert c.get("/admin/").status_code == 302
    assert c.get(f"/admin/assessments/assessmentround/{round_.pk}/change/").status_code == 302  # type: ignore[union-attr]
    c.force_login(team["secretariat"])
    team["secretariat"].is_staff = True
    team["secretariat"].save()
    assert c.get("/admin/").status_code == 200


def test_round_status_and_answers_change_only_through_the_workflow(admin_client_: Client) -> None:
    from interculture.assessments.models import Answer

    round_ = AssessmentRound.objects.get(city__slug="hameenlinna", year=2023)
    page = f"/admin/assessments/assessmentround/{round_.pk}/change/"
    html = admin_client_.get(page).content.decode()
    assert 'name="status"' not in html  # shown, not editable
    answer = Answer.objects.filter(round=round_).first()
    admin_client_.post(f"/admin/assessments/answer/{answer.pk}/change/", {"value": '"none"'})  # type: ignore[union-attr]
    answer_after = Answer.objects.get(pk=answer.pk)  # type: ignore[union-attr]
    assert answer_after.value == answer.value and answer_after.version == answer.version  # type: ignore[union-attr]
