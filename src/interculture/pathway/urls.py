from django.urls import path

from interculture.pathway import views

app_name = "pathway"
urlpatterns = [
    path("programmes/<slug:slug>/", views.programme, name="programme"),
    path("experts/", views.experts, name="experts"),
    path("documents/<int:pk>/", views.document, name="document"),
    path("<slug:slug>/", views.city_pathway, name="city"),
    path("<slug:slug>/actions.<str:fmt>", views.export, name="export"),
    path("<slug:slug>/strategy/", views.strategy, name="strategy"),
]
