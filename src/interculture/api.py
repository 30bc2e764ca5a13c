"""The REST API: one router per domain app, described by OpenAPI at /api/openapi.json."""

import logging
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, RequestDataTooBig, ValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from interculture.accounts.api_auth import TokenOrSession
from interculture.assessments import services as assessment_services
from interculture.assessments.api import router as assessments_router
from interculture.coordination.api import router as coordination_router
from interculture.errors import Conflict, Invalid
from interculture.middleware import too_big_message
from interculture.practices.api import router as practices_router

api = NinjaAPI(
    title="Interculture API",
    version="1",
    description="Intercultural Cities Index results, benchmarks, the practice base, peers and survey tables.",
    urls_namespace="api",
    docs_url=None,  # the reference page below is ours: accessible, and it needs no script from a CDN
    auth=TokenOrSession(),
)
logger = logging.getLogger(__name__)


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: logged with its traceback; the client gets JSON without one, also when debugging."""
    logger.exception("API error on %s %s", request.method, request.path)
    return api.create_response(request, {"detail": _("Internal error; it has been logged.")}, status=500)


@api.exception_handler(Http404)
@api.exception_handler(ObjectDoesNotExist)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or _("Not found.")}, status=404)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=422)


@api.exception_handler(DataError)
def _not_storable(request: HttpRequest, exc: DataError) -> HttpResponse:
    """A value the database cannot hold or compare (a NUL character on PostgreSQL)."""
    return api.create_response(
        request, {"detail": _("The request holds a value the database cannot store.")}, status=400
    )


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return api.create_response(request, {"detail": too_big_message()}, status=413)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "Permission denied"}, status=403)


@api.exception_handler(Conflict)
def _conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    """Any stale edit of a versioned object: both sides, so that the client can choose."""
    return api.create_response(request, exc.body(), status=409)


@api.exception_handler(Invalid)
def _domain_invalid(request: HttpRequest, exc: Invalid) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc), "fields": exc.field_errors}, status=422)


@api.exception_handler(assessment_services.AnswersRejected)
def _rejected(request: HttpRequest, exc: assessment_services.AnswersRejected) -> HttpResponse:
    errors = [{"question_id": e.question_id, "field": e.field, "reason": e.message} for e in exc.errors]
    return api.create_response(request, {"detail": str(exc), "errors": errors}, status=422)


@api.exception_handler(assessment_services.SubmissionRefused)
def _refused(request: HttpRequest, exc: assessment_services.SubmissionRefused) -> HttpResponse:
    body = {"detail": str(exc), "missing": [q.id for q in exc.missing]}
    return api.create_response(request, body, status=400)


@api.exception_handler(assessment_services.WorkflowError)
def _workflow(request: HttpRequest, exc: assessment_services.WorkflowError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=409)


api.add_router("/", assessments_router)
api.add_router("/practices", practices_router)
api.add_router("/", coordination_router)


def reference(request: HttpRequest) -> HttpResponse:
    """The API reference, rendered on the server from the OpenAPI description."""
    schema = api.get_openapi_schema()
    operations = [
        {
            "method": method.upper(),
            "path": path,
            "summary": op.get("summary", ""),
            "description": op.get("description", ""),
            "tags": op.get("tags", []),
            "parameters": [
                {
                    "name": p["name"],
                    "in": p["in"],
                    "required": p.get("required", False),
                    "type": _type_of(p.get("schema", {})),
                }
                for p in op.get("parameters", [])
            ],
        }
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    ]
    return render(request, "api_reference.html", {"info": schema["info"], "operations": operations})


def _type_of(schema: dict[str, Any]) -> str:
    if "type" in schema:
        inner = schema.get("items", {})
        return f"list of {inner.get('type', 'value')}" if schema["type"] == "array" else str(schema["type"])
    if "anyOf" in schema:
        return " or ".join(_type_of(s) for s in schema["anyOf"])
    return "value"
