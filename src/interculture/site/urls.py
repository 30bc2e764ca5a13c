"""The URL map (ROOT_URLCONF): every app's pages under their prefix, and the site's own pages."""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from interculture.accounts.urls import auth_urlpatterns
from interculture.api import api, reference
from interculture.health import healthz
from interculture.site import views


@require_safe
@cache_control(max_age=86400)
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers and crawlers ask for /favicon.ico whatever the page links: the SVG icon."""
    return HttpResponseRedirect(static("interculture/favicon.svg"))


# The pages that span the domains, reversed as "site:home", "site:city", "site:city_round" and "site:workspace".
site_patterns = [
    path("", views.home, name="home"),
    path("cities/<slug:slug>/", views.city_results, name="city"),
    path("cities/<slug:slug>/<int:year>/", views.city_results, name="city_round"),
    path("workspace/", views.workspace, name="workspace"),
]

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
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
    path("", include((site_patterns, "site"))),
    path("", include("interculture.assessments.urls")),
]
