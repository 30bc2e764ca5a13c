"""Uploaded documents go through Django's storage API (STORAGES["default"]): the local folder by
default, an S3-compatible store with INTERCULTURE_S3_BUCKET (configuration checked here; no
fake store is run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from interculture.accounts import services as accounts
from interculture.assessments.models import City
from interculture.pathway.models import StepDocument

CLI = Path(sys.executable).with_name("interculture")


@pytest.mark.django_db
def test_a_document_is_stored_and_served_through_the_storage_api(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    city = City.objects.get(slug="hameenlinna")
    coordinator = User.objects.create_user("storage-coordinator")
    accounts.add_member(coordinator, city, "coordinator")
    client = Client()
    client.force_login(coordinator)
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.7 the working group's minutes", "application/pdf")
    done = client.post(
        "/pathway/hameenlinna/",
        {"add_step": "1", "kind": "working_group", "date": "2025-03-01", "document": upload},
    )
    assert done.status_code == 302
    document = StepDocument.objects.get(step__city=city, title="minutes.pdf")
    assert default_storage.exists(document.file.name)
    with default_storage.open(document.file.name) as stored:
        assert stored.read() == b"%PDF-1.7 the working group's minutes"
    assert (tmp_path / document.file.name).is_file()  # FileSystemStorage: under MEDIA_ROOT
    served = client.get(f"/pathway/documents/{document.pk}/")
    assert served.status_code == 200 and b"".join(served.streaming_content).startswith(b"%PDF-1.7")
    assert Client().get(f"/pathway/documents/{document.pk}/").status_code == 302  # sign in first


def storages_with(**variables: str) -> dict[str, dict[str, object]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERCULTURE_S3_")}
    env.update(INTERCULTURE_DATA_DIR=str(Path.cwd() / "var"), **variables)
    code = "import json; from django.conf import settings; print(json.dumps(settings.STORAGES))"
    done = subprocess.run([CLI, "shell", "-c", code], env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_the_store_is_the_local_folder_unless_a_bucket_is_named() -> None:
    assert storages_with()["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    s3 = storages_with(
        INTERCULTURE_S3_BUCKET="interculture-documents",
        INTERCULTURE_S3_ENDPOINT_URL="https://objects.example.org",
        INTERCULTURE_S3_REGION="eu-north-1",
    )["default"]
    assert s3 == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "interculture-documents",
            "endpoint_url": "https://objects.example.org",
            "region_name": "eu-north-1",
            "location": "media",
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
