from django.urls import path

from interculture.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.home, name="home"),
    path("cities/<slug:slug>/", views.city_results, name="city"),
    path("cities/<slug:slug>/<int:year>/", views.city_results, name="city_round"),
    path("questionnaires/<slug:version>/", views.questionnaire, name="questionnaire"),
]
