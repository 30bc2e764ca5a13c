"""Steps of the pathway that people record (with the working group and a document)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from interculture.accounts.types import User
from interculture.assessments.models import City
from interculture.pathway.models import Step, StepDocument
from interculture.pathway.services.actions import check_write


@transaction.atomic
def record_step(
    city: City,
    user: User,
    *,
    kind: str,
    on: date,
    note: str,
    members: str,
    document: UploadedFile[Any] | None = None,
) -> Step:
    """A step of the city's pathway on a date, and the document that goes with it, if any."""
    check_write(user, city)
    step = Step.objects.create(city=city, kind=kind, date=on, note=note, members=members, responsible=user)
    if document:
        StepDocument.objects.create(step=step, title=document.name or "", file=document, uploaded_by=user)
    return step
