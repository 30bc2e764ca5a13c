from django.urls import path

from interculture.practices import views

app_name = "practices"
urlpatterns = [
    path("", views.search_page, name="search"),
    path("map/", views.map_page, name="map"),
    path("map/basemap.geojson", views.basemap, name="basemap"),
    path("new/", views.submit, name="new"),
    path("import/", views.import_page, name="import"),
    path("export.<str:fmt>", views.export, name="export"),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.submit, name="edit"),
    path("<slug:slug>/moderate/", views.moderate, name="moderate"),
]
