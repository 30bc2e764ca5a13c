from django.contrib import admin
from django.urls import include, path

from interculture.accounts.urls import auth_urlpatterns
from interculture.api import api, reference
from interculture.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/docs", reference, name="api-reference"),
    path("api/", api.urls),
    path("practices/", include("interculture.practices.urls")),
    path("reports/", include("interculture.reports.urls")),
    path("pathway/", include("interculture.pathway.urls")),
    path("coordination/", include("interculture.coordination.urls")),
    path("accounts/", include(auth_urlpatterns)),
    path("accounts/", include("interculture.accounts.urls")),
    path("", include("interculture.assessments.urls")),
]
