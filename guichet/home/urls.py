from django.urls import path

from guichet.home import views

app_name = "home"

urlpatterns = [
    path("", views.home_view, name="index"),
    path("mes-demarches/", views.procedures_view, name="procedures"),
]
