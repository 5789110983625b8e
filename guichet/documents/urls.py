from django.urls import path

from guichet.documents import views

app_name = "documents"

urlpatterns = [
    path("mes-demarches/attestation-de-droits/", views.entitlement_view, name="entitlement"),
    path(
        "mes-demarches/attestation-indemnites-journalieres/",
        views.allowance_view,
        name="allowance",
    ),
    path("mes-demarches/releve-fiscal/", views.tax_view, name="tax"),
    path("verifier-une-attestation/", views.verify_view, name="verify"),
]
