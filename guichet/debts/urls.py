from django.urls import path

from guichet.debts import views

app_name = "debts"

urlpatterns = [
    path("mes-paiements/payer-une-creance/", views.start_view, name="start"),
    path("mes-paiements/payer-une-creance/avis/<str:reference>/", views.pay_view, name="pay"),
    path(
        "mes-paiements/payer-une-creance/resultat/<str:reference>/",
        views.outcome_view,
        name="outcome",
    ),
    path("paiement-creance/reponse-automatique/", views.automatic_response_view, name="automatic"),
    path("paiement-creance/retour/", views.manual_response_view, name="manual"),
]
