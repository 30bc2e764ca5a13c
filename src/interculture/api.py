"""The REST API: one router per domain app, described by OpenAPI at /api/openapi.json."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI

from interculture.assessments.api import router as assessments_router
from interculture.practices.api import router as practices_router

api = NinjaAPI(
    title="Interculture API",
    version="1",
    description="Intercultural Cities Index results, benchmarks and the practice base.",
    urls_namespace="api",
    docs_url=None,  # the reference page below is ours: accessible, and it needs no script from a CDN
)
api.add_router("/", assessments_router)
api.add_router("/practices", practices_router)


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
