from django.urls import path

from guichet.documents import views

app_name = "documents"

urlpatterns = [
    path("mes-demarches/attestation-de-droits/", views.entitlement_view, name="entitlement"),
    path("verifier-une-attestation/", views.verify_view, name="verify"),
]
