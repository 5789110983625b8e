"""The member's overlap pages: the dialog, the choice, its confirmation, the rating, and
"Mes informations"."""

import html
import re

import pytest
from django.urls import reverse

from guichet.complementary import services
from guichet.complementary.enums import RequestStatus
from guichet.complementary.models import SelectionRequest
from guichet.complementary.tests.factories import load, overlap_records
from guichet.core.actors import SYSTEM
from guichet.core.tests.pages import page_words as text
from guichet.identity.tests.factories import AccountFactory
from guichet.insured.models import InsuredPerson

pytestmark = pytest.mark.django_db
DIALOG = "La transmission automatique des remboursements vers votre complémentaire est bloquée."


@pytest.fixture
def account():
    account = AccountFactory(insured_person__with_dependents=2)
    holder = account.insured_person
    persons = [holder, *InsuredPerson.objects.filter(attachments__holder=holder)]
    load([r for p in persons for r in overlap_records(p)])
    return account


@pytest.fixture
def member(account):
    return account.insured_person


@pytest.fixture
def signed_in(client, account):
    client.force_login(account)
    return client


def choose_all(signed_in, member, pick=1):
    page = signed_in.get(reverse("complementary:choice")).content.decode()
    data = {"empreinte": html.unescape(re.search(r'name="empreinte" value="([^"]*)"', page)[1])}
    for name in sorted(set(re.findall(r'name="(personne_\d+)"', page))):
        data[name] = re.findall(rf'name="{name}" value="(\d+)"', page)[pick]
    return data


def test_home_shows_the_dialog_until_plus_tard_then_not_in_this_session(signed_in):
    home = signed_in.get(reverse("home:index"))
    assert DIALOG in text(home)
    assert '<dialog open class="modal" id="overlap-dialog"' in home.content.decode()
    later = signed_in.post(reverse("complementary:later"))
    assert later.url == reverse("home:index")
    assert DIALOG not in text(signed_in.get(reverse("home:index")))


def test_dialog_comes_back_at_the_next_login(client, account):
    client.force_login(account)
    client.post(reverse("complementary:later"))
    client.logout()
    client.force_login(account)
    assert DIALOG in text(client.get(reverse("home:index")))


def test_all_persons_must_be_chosen_at_once(signed_in, member):
    data = choose_all(signed_in, member)
    missing = next(key for key in data if key.startswith("personne_"))
    del data[missing]
    response = signed_in.post(reverse("complementary:choice"), data)
    page = text(response)
    assert response.status_code == 200
    assert "Choisissez un organisme pour chaque bénéficiaire" in page
    assert "Choisissez l'organisme complémentaire de" in page
    kept = next(key for key in data if key.startswith("personne_"))
    assert f'name="{kept}" value="{data[kept]}" id="id_{kept}_{data[kept]}" checked' in (
        response.content.decode()
    )


def test_valider_confirm_then_sent_and_rated(signed_in, member):
    response = signed_in.post(reverse("complementary:choice"), choose_all(signed_in, member))
    assert response.url == reverse("complementary:confirm")
    confirm = text(signed_in.get(response.url))
    assert "Confirmer mon choix de complémentaire" in confirm
    assert confirm.count("LA BALOISE ASSURANCES") == 3
    sent = signed_in.post(reverse("complementary:confirm"))
    request = SelectionRequest.objects.get(holder=member)
    assert sent.url == reverse("complementary:sent", args=[request.pk])
    page = text(signed_in.get(sent.url))
    assert "Votre choix a bien été envoyé !" in page
    assert "Êtes-vous satisfait de ce service ?" in page
    refused = signed_in.post(sent.url, {"commentaire": "x"})
    assert "Choisissez une note pour nous donner votre avis." in text(refused)
    signed_in.post(sent.url, {"note": "4", "commentaire": "Simple et rapide"})
    request.refresh_from_db()
    assert (request.rating, request.comment) == (4, "Simple et rapide")
    # pending: Mes informations says so, and the dialog is gone
    info = text(signed_in.get(reverse("insured:information")))
    assert "DEMANDE EN COURS" in info and "sera traité sous 7 jours" in info
    assert DIALOG not in text(signed_in.get(reverse("home:index")))


def test_stale_confirmation_is_refused_with_an_explanation(signed_in, member):
    signed_in.post(reverse("complementary:choice"), choose_all(signed_in, member))
    load([{**overlap_records(member)[0], "external_id": "third", "member_number": "9"}])
    response = signed_in.post(reverse("complementary:confirm"), follow=True)
    assert "ont changé depuis l'affichage de la page" in text(response)
    assert not SelectionRequest.objects.exists()


def test_information_shows_transmission_active_after_processing(signed_in, member):
    signed_in.post(reverse("complementary:choice"), choose_all(signed_in, member))
    signed_in.post(reverse("complementary:confirm"))
    request = SelectionRequest.objects.get()
    services.process_request(request_id=request.pk, actor=SYSTEM)
    assert SelectionRequest.objects.get().status == RequestStatus.PROCESSED
    info = text(signed_in.get(reverse("insured:information")))
    assert "LA BALOISE ASSURANCES" in info and "LES MUTUELLES" not in info
    assert "La transmission automatique des paiements à votre complémentaire est activée." in info


def test_someone_elses_request_is_a_404(client, account):
    other = AccountFactory()
    load(overlap_records(other.insured_person))
    client.force_login(other)
    client.post(reverse("complementary:choice"), choose_all(client, other.insured_person))
    client.post(reverse("complementary:confirm"))
    theirs = SelectionRequest.objects.get(holder=other.insured_person)
    client.force_login(account)
    assert client.get(reverse("complementary:sent", args=[theirs.pk])).status_code == 404
