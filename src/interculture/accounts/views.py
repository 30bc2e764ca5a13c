from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from interculture.accounts import services
from interculture.accounts.forms import SignUpForm, ThrottledAuthenticationForm, TokenForm
from interculture.accounts.models import ApiToken, Invitation


class ThrottledLoginView(LoginView):
    form_class = ThrottledAuthenticationForm


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
        messages.success(request, _("Welcome. Your role: %(role)s.") % {"role": invitation.get_role_display()})
        return redirect("assessments:workspace")
    if not request.user.is_authenticated:
        form = SignUpForm(initial={"email": invitation.email})
    return render(request, "accounts/invitation.html", {"invitation": invitation, "form": form})


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
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
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    deleted, _details = ApiToken.objects.filter(pk=pk, user=request.user).delete()
    if deleted:
        messages.success(request, _("The token was revoked."))
    return redirect("accounts:tokens")
