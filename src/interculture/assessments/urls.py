from django.urls import path

from interculture.assessments import views, workspace_views

app_name = "assessments"
urlpatterns = [
    path("questionnaires/<slug:version>/", views.questionnaire, name="questionnaire"),
    path("workspace/review/", workspace_views.review_queue, name="review_queue"),
    path("workspace/<slug:slug>/", workspace_views.city_workspace, name="city_workspace"),
    path("workspace/<slug:slug>/<int:year>/", workspace_views.round_overview, name="round"),
    path("workspace/<slug:slug>/<int:year>/review/", workspace_views.review, name="review"),
    path("workspace/<slug:slug>/<int:year>/areas/<slug:indicator>/", workspace_views.area, name="area"),
    path(
        "workspace/<slug:slug>/<int:year>/answers/<str:question_id>/",
        workspace_views.answer,
        name="answer",
    ),
    path(
        "workspace/<slug:slug>/<int:year>/answers/<str:question_id>/history/",
        workspace_views.history,
        name="history",
    ),
]
