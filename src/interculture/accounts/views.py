from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import PasswordResetView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from interculture.accounts import services, signin
from interculture.accounts.forms import SignUpForm, TokenForm
from interculture.accounts.models import ApiToken, Invitation
from interculture.accounts.types import AuthedRequest


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """The sign-in page, saying why and how long to wait (django-axes' AXES_LOCKOUT_CALLABLE).

    Used for every sign-in path, the admin's included.
    """
    locked_pair, wait = signin.wait_of(request)
    if locked_pair:
        minutes = max(1, -(-wait // 60))
        message = ngettext(
            "Too many failed sign-ins for this name from your address. Try again in %(minutes)d minute, "
            "or reset your password.",
            "Too many failed sign-ins for this name from your address. Try again in %(minutes)d minutes, "
            "or reset your password.",
            minutes,
        ) % {"minutes": minutes}
    else:
        message = ngettext(
            "Too many attempts for this account; try again in %(seconds)d second.",
            "Too many attempts for this account; try again in %(seconds)d seconds.",
            wait,
        ) % {"seconds": wait}
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    next_url = request.POST.get("next") or request.GET.get("next", "")
    response = render(
        request,
        "registration/login.html",
        {"form": form, "locked_message": message, "next": next_url},
        status=429,
    )
    response["Retry-After"] = str(max(1, wait))
    return response


class LimitedPasswordResetView(PasswordResetView):
    """Django's password reset, sending at most a few mails per email and per address an hour.

    Beyond that the same neutral page follows, and nothing is sent.
    """

    def form_valid(self, form: Any) -> HttpResponse:
        if services.allow_password_reset_mail(form.cleaned_data["email"], services.client_ip(self.request)):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


def accept_invitation(request: HttpRequest, secret: str) -> HttpResponse:
    try:
        invitation = services.open_invitation(secret)
    except Invitation.DoesNotExist:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = None
    if request.method == "POST":
        if request.user.is_authenticated:
            user = request.user
        else:
            form = SignUpForm(request.POST, initial={"email": invitation.email})
            if not form.is_valid():
                return render(request, "accounts/invitation.html", {"invitation": invitation, "form": form})
            user = form.save(commit=False)
            user.email = invitation.email
            user.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        services.accept_invitation(secret, user)
        messages.success(
            request, _("Welcome. Your role: %(role)s.") % {"role": invitation.get_role_display()}
        )
        return redirect("site:workspace")
    if not request.user.is_authenticated:
        form = SignUpForm(initial={"email": invitation.email})
    return render(request, "accounts/invitation.html", {"invitation": invitation, "form": form})


@login_required
def tokens(request: AuthedRequest) -> HttpResponse:
    new_secret = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_secret = services.create_token(request.user, form.cleaned_data["name"])
        form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": request.user.api_tokens.all(), "new_secret": new_secret},
    )


@login_required
@require_POST
def revoke_token(request: AuthedRequest, pk: int) -> HttpResponse:
    deleted, _details = ApiToken.objects.filter(pk=pk, user=request.user).delete()
    if deleted:
        messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")
