from django.urls import path

from sitrep.desk import views

app_name = "desk"
urlpatterns = [
    path("", views.home, name="home"),
    path("posts/new/", views.compose, name="new"),
    path("posts/<int:post_id>/", views.compose, name="edit"),
    path("comments/", views.comments, name="comments"),
    path("settings/", views.discussion_settings, name="settings"),
    path("import/", views.import_view, name="import"),
    path("export/", views.export_view, name="export"),
]
