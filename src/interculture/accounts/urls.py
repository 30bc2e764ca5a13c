from django.urls import include, path

from interculture.accounts import views

app_name = "accounts"
urlpatterns = [
    path("invitations/<str:secret>/", views.accept_invitation, name="invitation"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.revoke_token, name="revoke_token"),
]

# Django's own sign-in, sign-out and password pages, with the throttled sign-in form.
auth_urlpatterns = [
    path("login/", views.ThrottledLoginView.as_view(), name="login"),
    path("", include("django.contrib.auth.urls")),
]
