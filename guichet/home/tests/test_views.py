import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from guichet.core.tests.pages import page_html as page_text
from guichet.identity.tests.factories import AccountFactory
from guichet.insured.tests.factories import InsuredPersonFactory

pytestmark = pytest.mark.django_db


def session_queries() -> int:
    """Sessions kept in the database cost a query; in Redis (production) they cost none."""
    return 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0


PARIS = dt.timezone(dt.timedelta(hours=1))


def test_home_shows_the_member_card_with_the_previous_login(client):
    account = AccountFactory(
        insured_person__first_names="Renaldo", insured_person__birth_name="ZOVI",
        previous_login=dt.datetime(2020, 3, 12, 10, 15, tzinfo=PARIS),
    )  # fmt: skip
    client.force_login(account)
    text = page_text(client.get(reverse("home:index")))
    assert "RENALDO ZOVI" in text
    assert "Dernière connexion le 12/03/2020 à 10:15" in text
    assert "Ajouter un numéro de téléphone" in text


def test_home_has_the_seeds_sections_and_links(client):
    client.force_login(AccountFactory())
    text = page_text(client.get(reverse("home:index")))
    for words in [
        "Mes derniers paiements", "Vos nouveaux paiements s'afficheront ici.", "Mes démarches en 2 clics",
        "Attestation de droits", "Attestation de paiement d'indemnités journalières",
        "Carte européenne d'assurance maladie (CEAM)", "Voir toutes les démarches",
        "Consulter les délais de traitement de ma CPAM", "Mon agenda", "Mes rendez-vous",
        "Prendre un rendez-vous", "Mon espace prévention", "Aucune notification", "Aucun message",
    ]:  # fmt: skip
        assert words in text


def test_every_page_has_the_header_navigation(client):
    client.force_login(AccountFactory())
    text = page_text(client.get(reverse("home:index")))
    for item in ["Accueil", "Mes paiements", "Ma messagerie", "Mes démarches", "Mon espace prévention",
                 "Mes informations", "Déconnexion"]:  # fmt: skip
        assert item in text
    assert 'aria-current="page">Accueil' in text


def test_home_query_count_is_constant(client, django_assert_num_queries):
    InsuredPersonFactory.create_batch(30, with_dependents=2)
    for account in (AccountFactory(), AccountFactory(insured_person__with_dependents=5)):
        client.force_login(account)
        client.get(reverse("home:index"))  # the first request after login stamps the session once
        # the account with its person and fund, the latest payments, the notification's count,
        # the unread messages and notifications, whether an overlap of complementary insurers
        # is open (+ the session in the database)
        with django_assert_num_queries(5 + session_queries()):
            assert client.get(reverse("home:index")).status_code == 200


def test_mes_demarches_en_2_clics_leads_to_the_documents_and_to_every_demarche(client):
    client.force_login(AccountFactory())

    page = client.get(reverse("home:index")).content.decode()

    for name in ("documents:entitlement", "documents:allowance", "home:procedures"):
        assert f'href="{reverse(name)}"' in page
    assert f'href="{reverse("documents:entitlement")}">Attestation de droits</a>' in page


@pytest.mark.parametrize(
    "name", ["home:procedures", "documents:entitlement", "documents:allowance", "documents:tax"]
)
def test_the_documents_and_mes_demarches_are_under_the_mes_demarches_menu(client, name):
    client.force_login(AccountFactory())

    response = client.get(reverse(name))

    current = [item["label"] for item in response.context["navigation"] if item["current"]]
    assert response.status_code == 200 and current == ["Mes démarches"]


def test_mes_demarches_lists_the_documents_available_and_the_demarches_to_come(client):
    client.force_login(AccountFactory())

    response = client.get(reverse("home:procedures"))

    text = page_text(response)
    assert "<title>Mes démarches" in text and text.count("<h1") == 1
    for label, name in [
        ("Attestation de droits", "documents:entitlement"),
        ("Attestation de paiement d'indemnités journalières", "documents:allowance"),
        ("Relevé fiscal", "documents:tax"),
        ("Vérifier une attestation", "documents:verify"),
        ("Carte européenne d'assurance maladie (CEAM)", "upcoming:european_card"),
    ]:
        assert f'<a href="{reverse(name)}">{label}</a>' in text
