"""Who is asking: the user types of the views, the services and the permission rules.

- `User`: a signed-in person (Django's user model; the project keeps the default one).
- `Visitor`: whoever a page or the API serves — a signed-in user, an anonymous visitor, or
  None for "the public" in internal reads (the home page shows what everyone may see).
- `AuthedRequest`: the request of a view behind `login_required`; its `.user` is a `User`.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

__all__ = ["AuthedRequest", "User", "Visitor"]

type Visitor = User | AnonymousUser | None


class AuthedRequest(HttpRequest):
    """A request whose user is signed in (the view is behind login)."""

    user: User
