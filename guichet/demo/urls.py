from django.urls import path

from guichet.demo import views

app_name = "demo"

urlpatterns = [path("boite-mail/", views.mailbox_view, name="mailbox")]
