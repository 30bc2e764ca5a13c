from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from interculture.accounts import services


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses to check a password once a name or an address has failed too often."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Too many failed sign-ins. Wait 15 minutes and try again, or reset your password."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request)
        if services.login_blocked(username, ip):
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            return super().clean()
        except forms.ValidationError:
            services.record_failed_login(username, ip)
            raise


def client_ip(request: Any) -> str | None:
    # Behind a proxy, set the proxy to overwrite REMOTE_ADDR; X-Forwarded-For is not trusted here.
    return request.META.get("REMOTE_ADDR") if request is not None else None


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("Email"), disabled=True, required=False)

    class Meta(UserCreationForm.Meta):
        fields = ("username",)


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name of the token"), max_length=80, initial="API")
