from django.apps import AppConfig


class SiteConfig(AppConfig):
    """What spans the domains: the home and city results pages, the demo loader, the URL map."""

    name = "interculture.site"
    label = "interculture_site"
    verbose_name = "Site"
