from django.urls import path

from guichet.insured import views

app_name = "insured"

urlpatterns = [
    path("mes-informations/", views.information_view, name="information"),
    path(
        "mes-informations/personne/<int:person_id>/",
        views.information_view,
        name="person_information",
    ),
    path("mes-informations/agences/", views.agencies_view, name="agencies"),
    path("mes-informations/telephones/", views.phones_view, name="phones"),
    path(
        "mes-informations/autorisations-de-contact/",
        views.contact_permissions_view,
        name="contact_permissions",
    ),
]
