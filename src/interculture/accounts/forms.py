from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _


class SignUpForm(UserCreationForm):
    email = forms.EmailField(label=_("Email"), disabled=True, required=False)

    class Meta(UserCreationForm.Meta):
        fields = ("username",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The password validators (settings.AUTH_PASSWORD_VALIDATORS) compare the password with
        # the user's attributes: give them the invited email too, not only the chosen name.
        self.instance.email = self.initial.get("email", "")


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name of the token"), max_length=80, initial="API")
