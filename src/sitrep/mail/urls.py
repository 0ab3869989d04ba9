from django.urls import path

from sitrep.mail import views

app_name = "mail"
urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("account/", views.account, name="account"),
    path("confirm/<str:signed>/", views.confirm, name="confirm"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
    path("unsubscribe/<str:token>/<str:what>/", views.unsubscribe_view, name="unsubscribe_one"),
]
