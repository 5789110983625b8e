from django.urls import path

from guichet.payments import views

app_name = "payments"

urlpatterns = [
    path("mes-paiements/", views.payment_list_view, name="list"),
    path("mes-paiements/paiement/<int:payment_id>/", views.payment_detail_view, name="detail"),
    path("mes-paiements/releves-mensuels/", views.statement_list_view, name="statement_list"),
    path(
        "mes-paiements/releves-mensuels/<int:year>/<int:month>/",
        views.monthly_statement_view,
        name="monthly_statement",
    ),
    path("mes-paiements/releve-annuel/", views.annual_list_view, name="annual_list"),
    path(
        "mes-paiements/releve-annuel/<int:year>/",
        views.annual_statement_view,
        name="annual_statement",
    ),
    path(
        "mes-paiements/participations-forfaitaires-et-franchises/",
        views.copayments_view,
        name="copayments",
    ),
    path("mes-paiements/arrets-de-travail/", views.sick_leaves_view, name="sick_leaves"),
    path("mes-paiements/accidents-du-travail/", views.work_accidents_view, name="work_accidents"),
    path("mes-paiements/a-transmettre/", views.to_forward_view, name="to_forward"),
    path("flux/<str:feed>/", views.feed_endpoint_view, name="feed"),
]
