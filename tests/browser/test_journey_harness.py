"""The journey harness itself: a page that passes, on both screen sizes."""

from collections.abc import Callable

from tests.browser.journey import Journey


def test_sign_in_page_passes_the_checks(journey_factory: Callable[..., Journey]) -> None:
    journey = journey_factory()
    journey.visit("/accounts/login/")
    journey.check("harness-sign-in")
