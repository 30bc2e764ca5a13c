from django.urls import URLPattern, URLResolver, include, path

from interculture.accounts import views

app_name = "accounts"
urlpatterns = [
    path("invitations/<str:secret>/", views.accept_invitation, name="invitation"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
]

# Django's own sign-in, sign-out and password pages (sign-in throttled by django-axes), with
# the password reset limited in the mails it sends.
auth_urlpatterns: list[URLPattern | URLResolver] = [
    path("password_reset/", views.LimitedPasswordResetView.as_view(), name="password_reset"),
    path("", include("django.contrib.auth.urls")),
]
