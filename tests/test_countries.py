"""Country names come from pycountry's translations, in the reader's language."""

from django.utils.translation import override

from interculture.countries import country_choices, country_name


def test_names_in_each_language() -> None:
    assert country_name("FI", "en") == "Finland"
    assert country_name("FI", "fi") == "Suomi"
    assert country_name("GR", "sv") == "Grekland"
    assert country_name("gr", "fi") == "Kreikka"  # codes are read in either case


def test_english_uses_the_common_name() -> None:
    assert country_name("MD", "en") == "Moldova"


def test_the_active_language_is_the_default() -> None:
    with override("fi"):
        assert country_name("SE") == "Ruotsi"
    with override("sv"):
        assert country_name("DE") == "Tyskland"


def test_unknown_and_empty_codes() -> None:
    assert country_name("XX", "fi") == "XX"
    assert country_name("", "fi") == ""
    assert country_name(None) == ""


def test_choices_are_sorted_by_the_localized_name() -> None:
    choices = country_choices("fi")
    assert ("FI", "Suomi") in choices
    names = [name.casefold() for _, name in choices]
    assert names == sorted(names)
