"""Country names in the reader's language, from pycountry's ISO 3166 translations.

The one place the interface turns a country code into a name: pages, facets, reports, the
coordination tables and the exports all call `country_name`. A low module (no models), so every
app can use it.
"""

from __future__ import annotations

import gettext as gettext_module
from functools import cache

import pycountry
from django import template
from django.utils.translation import get_language


@cache
def _catalogue(language: str) -> gettext_module.NullTranslations:
    return gettext_module.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _language(language: str | None) -> str:
    return (language or get_language() or "en").split("-")[0].lower()


def country_name(code: str | None, language: str | None = None) -> str:
    """The name of the country with ISO 3166 alpha-2 `code` in `language` (default: the active
    language). English uses the common name where ISO's is formal ("Moldova", not "Moldova,
    Republic of"). An unknown code is returned as given; an empty one as ""."""
    if not code:
        return ""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return code
    language = _language(language)
    if language == "en":
        return str(getattr(country, "common_name", None) or country.name)
    return _catalogue(language).gettext(str(country.name))


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """Every country as (code, name) in `language`, sorted by name, for a select."""
    language = _language(language)
    names = [(str(c.alpha_2), country_name(str(c.alpha_2), language)) for c in pycountry.countries]
    return sorted(names, key=lambda c: c[1].casefold())


# `{{ code|country_name }}` in every template (a builtin library, see settings.TEMPLATES).
register = template.Library()
register.filter("country_name", country_name)
