from django.urls import path

from interculture.reports import views

app_name = "reports"
urlpatterns = [
    # Before the city routes, which would take "jobs" and "versions" for a city's slug.
    path("jobs/<uuid:pk>/", views.job, name="job"),
    path("versions/<uuid:public_id>/", views.version, name="version"),
    path("<slug:slug>/<int:year>/", views.report, name="report"),
    path("<slug:slug>/<int:year>/pdf/", views.pdf, name="pdf"),
    path("<slug:slug>/<int:year>/edit/", views.edit, name="edit"),
    path("<slug:slug>/<int:year>/publish/", views.publish, name="publish"),
]
