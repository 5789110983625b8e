from django.urls import path

from sandboxes.kiosk import views

urlpatterns = [
    path("", views.home_view, name="home"),
    path("paymentInit", views.payment_init_view, name="payment_init"),
    path("paiement/<str:token>/", views.card_view, name="card"),
    path("paiement/<str:token>/3ds/", views.authentication_view, name="authentication"),
    path("paiement/<str:token>/resultat/", views.result_view, name="result"),
    path("paiement/<str:token>/recu/", views.receipt_view, name="receipt"),
    path(
        "rs-services/v2/diagnostic/getTransactionData",
        views.diagnostic_view,
        name="diagnostic",
    ),
]
