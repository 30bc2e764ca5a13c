from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from interculture import charts, tabular
from interculture.accounts.permissions import is_secretariat
from interculture.accounts.types import AuthedRequest
from interculture.conflict_pages import BASED_ON, conflict_context
from interculture.errors import Conflict, DomainError
from interculture.params import posted_int
from interculture.practices import exchange, geo, labels, selectors, services
from interculture.practices import search as practice_search
from interculture.practices.forms import FactSheetForm
from interculture.practices.models import Practice

FACET_LABELS = {
    "country": gettext_lazy("Country"),
    "level": gettext_lazy("Level"),
    "dimension": gettext_lazy("Dimension"),
    "subcategory": gettext_lazy("Sub-category"),
    "icc_area": gettext_lazy("ICC Index area"),
    "target_group": gettext_lazy("Target group"),
    "funding": gettext_lazy("Funding"),
    "status": gettext_lazy("Status"),
    "evaluated": gettext_lazy("Evaluated"),
    "size_band": gettext_lazy("City size"),
}


def _page(text: str) -> int:
    """The page asked for; page 1 for anything that is not a whole number."""
    text = text.strip()
    return max(1, int(text)) if text.isascii() and text.isdigit() else 1


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")
    filters = {k: request.GET.getlist(k) for k in practice_search.FACET_KEYS if request.GET.getlist(k)}
    sort = request.GET.get("sort", "")
    if sort not in practice_search.SORTS:  # none, or one from an old or hand-made link: the default
        # Relevance, also on the page without a query (where it lists by title), so that a
        # query typed there is ranked by relevance rather than by the title order shown before.
        sort = "relevance"
    try:
        result = practice_search.search(query, filters, sort=sort, page=_page(request.GET.get("page", "")))
    except DomainError as exc:
        messages.error(request, str(exc))
        result = practice_search.search("", {}, sort="title")
    language = get_language() or "en"
    facets = [
        {
            "key": key,
            "label": FACET_LABELS[key],
            "values": [
                {
                    "value": v,
                    "label": labels.value_label(key, v),
                    "count": n,
                    "checked": v in filters.get(key, []),
                }
                for v, n in result.facets.get(key, [])
            ],
        }
        for key in practice_search.FACET_KEYS
    ]
    pages = (result.total + result.per_page - 1) // result.per_page
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "practices/search.html",
        {
            "query": query,
            "result": result,
            "hits": [
                {**h, "country_name": labels.country_name(h["country"], language)}
                for h in practice_search.localize(result.hits, language)
            ],
            "mode": SEARCH_MODES.get(result.mode, result.mode),
            "notice": _("Cross-lingual search is off: full-text results only.") if result.notice else None,
            "facets": facets,
            "sort": sort,
            "sorts": [(s, labels.SORT_LABELS[s]) for s in practice_search.SORTS],
            "filtered": bool(filters),
            "pages": pages,
            "querystring": params.urlencode(),
        },
    )


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    practice = get_object_or_404(selectors.visible(request.user), slug=slug)
    context = selectors.fact_sheet(practice, request.user, get_language() or "en")
    context["versions"] = practice.versions.select_related("changed_by")[:20]
    context["can_moderate"] = is_secretariat(request.user)
    context["can_edit"] = context["can_moderate"] or (
        request.user.is_authenticated and practice.submitted_by_id == request.user.pk
    )
    context["revision"] = services.revision(practice) if context["can_edit"] else None
    return render(request, "practices/detail.html", context)


def map_page(request: HttpRequest) -> HttpResponse:
    language = get_language() or "en"
    published = Practice.objects.filter(state=Practice.State.PUBLISHED, synthetic=False)
    placed = selectors.placed_practices(published, language)
    points = selectors.map_points(placed)
    places = selectors.map_places(placed)
    for place in places:
        for practice in place["practices"]:
            practice["url"] = reverse("practices:detail", args=[practice["slug"]])
    return render(
        request,
        "practices/map.html",
        {
            "svg": charts.points_map([{k: v for k, v in p.items() if k != "practices"} for p in points]),
            "points": points,
            "places": places,
            "outside": [p for p in points if not p["in_europe"]],
            "practices": len(placed),
            "approximate": sum(p["placement"] != "city" for p in placed),
            "unplaced": published.count() - len(placed),
            "countries": len({p["country"] for p in placed}),
        },
    )


@cache_control(public=True, max_age=86400)
def basemap(request: HttpRequest) -> JsonResponse:
    """The bundled country outlines as GeoJSON: the interactive map's base layer (no tile server)."""
    return JsonResponse(geo.countries_geojson())


SEARCH_MODES = {
    "full text + embeddings": gettext_lazy("full text and meaning (cross-lingual)"),
    "full text": gettext_lazy("full text"),
}


@login_required
def submit(request: AuthedRequest, slug: str | None = None) -> HttpResponse:
    practice = get_object_or_404(Practice, slug=slug) if slug else None
    if practice is not None and not (
        is_secretariat(request.user) or practice.submitted_by_id == request.user.pk
    ):
        raise PermissionDenied
    conflict, status = None, 200
    if request.method == "POST":
        form = FactSheetForm(request.POST)
        if form.is_valid():
            data = form.fact_sheet()
            if practice is not None and data["slug"] != practice.slug:
                form.add_error("slug", _("The identifier of an existing practice cannot change."))
            elif practice is None and Practice.objects.filter(slug=data["slug"]).exists():
                form.add_error("slug", _("This identifier is taken."))
            else:
                try:
                    validated = services.validate(data)
                    expected = (
                        posted_int(request.POST, BASED_ON, 0)
                        or posted_int(request.POST, "version", 0)
                        or None
                    )
                    saved = services.save(
                        validated, user=request.user, expected_version=expected,
                        state=Practice.State.DRAFT if practice is None else None, comment=_("Edited in the form"),
                    )  # fmt: skip
                except services.PracticeInvalid as exc:
                    for err in exc.errors:
                        form.add_error(None, str(err))
                except services.VersionConflict as exc:
                    form.add_error(
                        None, _("Someone else changed this fact sheet meanwhile: %(e)s.") % {"e": exc}
                    )
                    conflict = _fact_sheet_conflict(form, exc)
                    status = 409
                else:
                    duplicates = services.possible_duplicates(validated)
                    if duplicates:
                        messages.warning(
                            request,
                            _("Possible duplicate of: %(titles)s. Please check before sending it for review.")
                            % {"titles": "; ".join(d.title for d in duplicates)},
                        )
                    messages.success(request, _("Saved as version %(n)d.") % {"n": saved.version})
                    return redirect("practices:detail", slug=saved.slug)
    else:
        pending = services.revision(practice) if practice else None
        editing = pending.data if pending else practice.data if practice else None
        form = FactSheetForm(initial=FactSheetForm.initial_from(editing) if editing else None)
    based_on = conflict["expected_version"] if conflict else practice.version if practice else None
    context = {"form": form, "practice": practice, "conflict": conflict, "based_on": based_on}
    return render(request, "practices/submit.html", context, status=status)


def _fact_sheet_conflict(form: FactSheetForm, exc: services.VersionConflict) -> dict[str, Any]:
    """The fields of the stored fact sheet and of mine that differ, labelled as in the form;
    "keep mine" sends the form again based on their version."""
    theirs, mine = FactSheetForm.initial_from(exc.current), FactSheetForm.initial_from(exc.yours)
    labels = {name: str(field.label or name) for name, field in form.fields.items()}
    sides = Conflict(exc.obj, expected_version=exc.expected_version, yours=mine, current=theirs)
    url = reverse("practices:edit", args=[exc.obj.slug])
    return {"expected_version": exc.expected_version} | conflict_context(sides, labels, theirs_url=url)


@login_required
@require_POST
def moderate(request: AuthedRequest, slug: str) -> HttpResponse:
    practice = get_object_or_404(Practice, slug=slug)
    try:
        services.transition(
            practice, request.POST.get("to", ""), user=request.user, comment=request.POST.get("comment", "")
        )
    except services.TransitionNotAllowed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The practice is now: %(state)s.") % {"state": request.POST.get("to")})
    return redirect("practices:detail", slug=slug)


def export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exchange.FORMATS:
        raise PermissionDenied
    contacts = request.GET.get("contacts") == "1"
    if contacts and not is_secretariat(request.user):
        raise PermissionDenied
    published = Practice.objects.filter(state=Practice.State.PUBLISHED, synthetic=False).order_by("slug")
    return tabular.download(exchange.export(published, fmt, contacts), fmt, f"interculture-practices.{fmt}")


@login_required
def import_page(request: AuthedRequest) -> HttpResponse:
    if not is_secretariat(request.user):
        raise PermissionDenied
    errors: list[services.FieldError] = []
    upload = request.FILES.get("file")
    if request.method == "POST" and upload:
        fmt = (upload.name or "").rsplit(".", 1)[-1].lower()
        try:
            exchange.check_upload(upload.size or 0, fmt)  # before reading a byte of it
            saved = exchange.import_file(upload.read(), fmt, user=request.user)
        except exchange.ImportRejected as exc:
            errors = exc.errors
        except DomainError as exc:
            errors = [services.FieldError("(file)", str(exc))]
        else:
            messages.success(
                request,
                _("Imported %(n)d practice(s); new ones without a state in the file are drafts.")
                % {"n": len(saved)},
            )
            return redirect("practices:search")
    return render(request, "practices/import.html", {"errors": errors})
