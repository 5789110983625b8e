from django.urls import path

from guichet.identity import views
from guichet.identity.franceconnect import views as franceconnect_views

app_name = "identity"

urlpatterns = [
    path("connexion/", views.login_view, name="login"),
    path("connexion/code-de-securite/", views.email_code_view, name="email_code"),
    path("connexion/choisir-mon-code/", views.choose_code_view, name="choose_code"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("code-oublie/", views.forgot_code_view, name="forgot_code"),
    path("connexion/demande-de-deblocage/", views.unlock_request_view, name="unlock_request"),
    path("code-oublie/envoye/", views.forgot_code_sent_view, name="forgot_code_sent"),
    path("creer-mon-compte/", views.signup_identity_view, name="signup"),
    path("creer-mon-compte/rib/", views.signup_iban_view, name="signup_iban"),
    path("creer-mon-compte/adresse-email/", views.signup_email_view, name="signup_email"),
    path("creer-mon-compte/confirmation/", views.signup_done_view, name="signup_done"),
    path("aide/numero-de-securite-sociale/", views.nir_help_view, name="nir_help"),
    path("franceconnect/", franceconnect_views.start_view, name="franceconnect"),
    path("franceconnect/retour/", franceconnect_views.callback_view, name="franceconnect_callback"),
    path(
        "franceconnect/creer-mon-compte/",
        franceconnect_views.signup_view,
        name="franceconnect_signup",
    ),
    path(
        "franceconnect/deconnexion/",
        franceconnect_views.logout_return_view,
        name="franceconnect_logout_return",
    ),
    path(
        "franceconnect/qu-est-ce-que-c-est/",
        views.franceconnect_help_view,
        name="franceconnect_help",
    ),
    path("mes-informations/code-personnel/", views.change_code_view, name="change_code"),
    path("mes-informations/adresse-email/", views.change_email_view, name="change_email"),
    path(
        "mes-informations/adresse-email/confirmer/", views.confirm_email_view, name="confirm_email"
    ),
    path(
        "mes-informations/adresse-email/confirmation/",
        views.change_email_confirm_view,
        name="change_email_confirm",
    ),
    path("mes-informations/fermer-mon-compte/", views.close_account_view, name="close_account"),
]
