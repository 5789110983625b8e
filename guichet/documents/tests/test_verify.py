"""The public page "Vérifier une attestation": typed or scanned, authentic or not, and nothing
more than what the document certifies."""

import datetime as dt

import pytest

from guichet.core.actors import Actor, ActorKind
from guichet.documents import services, signing
from guichet.documents.models import SigningKey
from guichet.documents.signing import GS, US
from guichet.documents.tests.test_entitlement import text
from guichet.identity.tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
URL = "/verifier-une-attestation/"


@pytest.fixture
def issued():
    member = AccountFactory(
        insured_person__with_dependents=1,
        insured_person__first_names="Renaldo",
        insured_person__birth_name="ZOVI",
        insured_person__birth_date=dt.date(1974, 11, 22),
        insured_person__rights_opened_on=dt.date(1994, 9, 1),
    ).insured_person
    actor = Actor(ActorKind.MEMBER, "1", "127.0.0.1")
    return services.issue_entitlement_certificate(
        member=member, beneficiary_id=None, actor=actor
    ).document


def test_anyone_may_open_the_page_without_logging_in(client):
    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Vérifier une attestation" in page and page.count("<h1") == 1
    assert 'for="id_code">Code de vérification</label>' in page


def test_a_typed_short_code_shows_the_document_authentic_and_what_it_certifies(client, issued):
    typed = signing.format_short_code(issued.short_code).lower()

    response = client.post(URL, {"code": typed})

    page = text(response)
    assert response.status_code == 200
    assert "Attestation authentique." in page
    assert f"(code organisme {issued.member.fund.code_display})" in page
    assert "Attestation de droits" in page and f"Délivré le {issued.issued_at:%d/%m/%Y}" in page
    member = issued.member
    assert f"{signing.plain(member.full_name)}, né(e) le 22/11/1974" in page
    assert "droits ouverts depuis le 01/09/1994" in page
    assert member.nir not in page and member.nir_display not in page  # nothing more
    assert member.address_line2 not in page


def test_an_altered_short_code_is_unknown(client, issued):
    altered = ("0" if issued.short_code[0] != "0" else "1") + issued.short_code[1:]

    response = client.post(URL, {"code": altered})

    assert "Aucune attestation ne porte ce code." in text(response)
    assert "Attestation authentique" not in text(response)


@pytest.mark.parametrize("typed", ["ABC", "7KQ2-M9XD-4RTU", "7KQ2-M9XD-4RTB-XX"])
def test_a_code_that_cannot_be_one_is_refused_next_to_the_field_and_kept(client, typed):
    response = client.post(URL, {"code": typed})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Un code de vérification a 12 lettres ou chiffres" in page
    assert f'value="{typed}"' in page


def test_an_empty_form_asks_for_one_code_or_the_other(client):
    response = client.post(URL, {"code": "", "contenu": ""})

    assert response.status_code == 400
    assert "Saisissez le code de vérification, ou collez le contenu du code 2D." in text(response)


def test_a_scanned_code_is_checked_by_its_signature(client, issued):
    as_read = issued.payload.replace(GS, "<GS>").replace(US, "<US>")

    response = client.post(URL, {"contenu": as_read})

    assert "Attestation authentique." in text(response)


def test_a_scanned_code_with_a_changed_field_is_not_authentic(client, issued):
    altered = issued.payload.replace("NE22111974", "NE22111984")
    assert altered != issued.payload

    response = client.post(URL, {"contenu": altered})

    page = text(response)
    assert "Attestation non authentique." in page and "Le code a été modifié" in page
    assert "Ce que certifie ce document" not in page  # nothing of a forgery is certified


def test_a_scanned_code_signed_by_a_key_we_do_not_know_says_so(client, issued):
    SigningKey.objects.all().delete()

    response = client.post(URL, {"contenu": issued.payload})

    assert "Attestation non reconnue." in text(response)


def test_text_that_is_no_code_of_ours_is_unreadable(client):
    response = client.post(URL, {"contenu": "https://example.org/hello"})

    assert "Code illisible." in text(response)


def test_verifications_are_rate_limited_per_address(client, settings):
    settings.GUICHET_LOGIN_RATE_PER_IP = "2/m"

    statuses = [client.post(URL, {"code": "7KQ2-M9XD-4RTB"}).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
