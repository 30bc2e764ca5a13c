"""Error responses a person or a client can act on: JSON under /api/, a clear page elsewhere."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from interculture.errors import Conflict, DomainError, Forbidden

API_PREFIX = "/api/"
REQUEST_LOG = logging.getLogger("interculture.requests")
# A request id set by our reverse proxy (nginx's $request_id) is kept; anything else is replaced.
REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")


def too_big_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    return _("The request is too large: at most %(n)s MB.") % {"n": f"{limit / 2**20:g}"}


def _detail(status: int, reason: str) -> str:
    known = {
        400: _("Bad request."),
        404: _("No such API operation."),
        405: _("This method is not allowed here."),
        413: too_big_message(),
        500: _("Internal error; it has been logged."),
    }
    return known.get(status, reason)


class ErrorResponses:
    """Placed before CsrfViewMiddleware: a form body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413
    here, not a 400 (or a debug page) from the CSRF check that would read it first. A view's
    BadRequest is a 400 page with its message. A page that is not found is the site's 404 page
    also when debugging (never Django's debug page, which lists the routes). Under /api/, an
    error response that is not JSON (an unknown route, a 405, a 400) becomes JSON."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith(API_PREFIX)
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            body = json.dumps({"detail": _detail(response.status_code, response.reason_phrase)})
            response.content = body.encode()
            response["Content-Type"] = "application/json"
        elif response.status_code == 404 and settings.DEBUG and request.resolver_match is None:
            return not_found(request)  # no route matched: Django answered with its debug page
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """A malformed field (interculture.params): a 400 that says which, also when debugging.
        A stale edit that no form showed beside its input (interculture.errors.Conflict): a 409
        with both sides. Any other domain error that no view showed on its form (Invalid and
        the rest; Forbidden is Django's 403): a 400 that says why, never a 500."""
        if isinstance(exc, Conflict):
            if request.path.startswith(API_PREFIX):
                return JsonResponse(exc.body(), status=409)
            rows = [
                {"label": f, "theirs": exc.current.get(f), "mine": exc.yours.get(f)} for f in exc.clashing
            ]
            return render(request, "conflict.html", {"message": str(exc), "rows": rows}, status=409)
        if isinstance(exc, Http404) and not request.path.startswith(API_PREFIX):
            return not_found(request)
        if not isinstance(exc, BadRequest | DomainError) or isinstance(exc, Forbidden):
            return None
        if request.path.startswith(API_PREFIX):
            return JsonResponse({"detail": str(exc)}, status=400)
        return render(request, "bad_request.html", {"message": str(exc)}, status=400)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        try:
            request.POST  # noqa: B018 -- parses (and checks the size of) a form body once; it is cached
        except RequestDataTooBig:
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": too_big_message()}, status=413)
            return render(request, "413.html", {"message": too_big_message()}, status=413)
        return None


def not_found(request: HttpRequest) -> HttpResponse:
    """The site's 404 page. It says nothing of why (an unpublished round is not disclosed)."""
    return render(request, "404.html", status=404)


class RequestLog:
    """One JSON line per request on the `interculture.requests` logger: time, method, path (without
    the query string), status, duration in ms until the response is ready, the user's id or null,
    and a request id, also sent back as `X-Request-ID`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        response = self.get_response(request)
        user = getattr(request, "user", None)  # not set for static files (WhiteNoise answers first)
        record = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "user_id": user.pk if user is not None and user.is_authenticated else None,
            "request_id": request_id,
        }
        REQUEST_LOG.info(json.dumps(record))
        response["X-Request-ID"] = request_id
        return response
