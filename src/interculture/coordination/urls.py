from django.urls import path

from interculture.coordination import views

app_name = "coordination"
urlpatterns = [
    path("", views.home, name="home"),
    path("bodies/<slug:slug>/", views.body, name="body"),
    path("positions/<int:pk>/", views.position, name="position"),
    path("surveys/<slug:version>/", views.survey, name="survey"),
    path("surveys/<slug:version>/responses/", views.survey_responses, name="survey_responses"),
    path("surveys/<slug:version>/responses/<int:pk>/", views.survey_response, name="survey_response"),
    path(
        "surveys/<slug:version>/responses/<int:pk>/<slug:section>/",
        views.survey_section,
        name="survey_section",
    ),
]
