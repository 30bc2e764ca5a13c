"""The REST API: one router per domain app, described by OpenAPI at /api/openapi.json."""

from ninja import NinjaAPI

from interculture.assessments.api import router as assessments_router
from interculture.practices.api import router as practices_router

api = NinjaAPI(
    title="Interculture API",
    version="1",
    description="Intercultural Cities Index results, benchmarks and the practice base.",
    urls_namespace="api",
)
api.add_router("/", assessments_router)
api.add_router("/practices", practices_router)
