from django.urls import path

from guichet.complementary import views

app_name = "complementary"

urlpatterns = [
    path("ma-complementaire/", views.notice_view, name="notice"),
    path("ma-complementaire/plus-tard/", views.later_view, name="later"),
    path("ma-complementaire/choix/", views.choice_view, name="choice"),
    path("ma-complementaire/choix/confirmer/", views.confirm_view, name="confirm"),
    path("ma-complementaire/choix/<int:request_id>/envoye/", views.sent_view, name="sent"),
]
