from django.urls import path

from interculture.coordination import views

app_name = "coordination"
urlpatterns = [
    path("", views.home, name="home"),
    path("bodies/<slug:slug>/", views.body, name="body"),
    path("positions/<int:pk>/", views.position, name="position"),
    path("surveys/<slug:version>/", views.survey, name="survey"),
]
