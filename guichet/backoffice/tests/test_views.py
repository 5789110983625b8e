"""The back office's screens: login with TOTP, search, the member's file, actions, journal, queues,
reference data, agents."""

import datetime as dt

import pyotp
import pytest
from django.urls import reverse
from django.utils import timezone

from guichet.core.actors import SYSTEM
from guichet.core.models import AuditEvent
from guichet.core.tests.pages import page_html as text
from guichet.core.tests.pages import page_words
from guichet.identity import services as identity_services
from guichet.identity.enums import AccountStatus, AgentRole
from guichet.identity.models import Account
from guichet.identity.tests.factories import AGENT_PASSWORD, AccountFactory, make_agent
from guichet.insured.tests.factories import (
    InsuredPersonFactory,
    PatientShareExemptionFactory,
    nir15_of,
)
from guichet.messaging.models import OutboundEmail
from guichet.workqueues.enums import ItemStatus
from guichet.workqueues.models import WorkItem

pytestmark = pytest.mark.django_db


# --- Login ---------------------------------------------------------------------------------------


def post_password(client, agent, password=AGENT_PASSWORD, next_url=""):
    return client.post(
        reverse("backoffice:login") + (f"?next={next_url}" if next_url else ""),
        {"email": agent.identifier, "password": password, "next": next_url},
    )


def test_an_agent_logs_in_with_password_then_app_code_and_lands_where_they_were_heading(
    client, adviser
):
    target = reverse("backoffice:search")
    response = post_password(client, adviser, next_url=target)
    assert response.url == reverse("backoffice:second_factor")
    code = pyotp.TOTP(adviser.agent_profile.totp_secret).now()
    response = client.post(reverse("backoffice:second_factor"), {"code": code})
    assert response.url == target
    assert client.get(target).status_code == 200
    assert AuditEvent.objects.filter(action="login.succeeded", target_id=str(adviser.pk)).exists()


def test_a_wrong_app_code_says_how_many_tries_are_left(client, adviser):
    post_password(client, adviser)
    response = client.post(reverse("backoffice:second_factor"), {"code": "000000"})
    assert "Ce code n'est pas le bon. Il vous reste 4 essais." in text(response)
    assert client.get(reverse("backoffice:home")).status_code == 302  # still not signed in


def test_a_wrong_password_says_so_without_telling_whether_the_agent_exists(client, adviser):
    known = text(post_password(client, adviser, password="wrong-password-1"))
    unknown = text(client.post(reverse("backoffice:login"), {"email": "x@y.fr", "password": "pw"}))
    for page in (known, unknown):
        assert "L'adresse e-mail ou le mot de passe est incorrect. Il vous reste 4 essais" in page


def test_the_second_step_without_the_first_goes_back_to_the_login(client):
    response = client.get(reverse("backoffice:second_factor"))
    assert response.url == reverse("backoffice:login")


def test_a_new_agent_chooses_a_password_enrols_an_app_and_sees_recovery_codes_once(client, fund):
    agent = identity_services.create_agent(
        fund=fund, role=AgentRole.ADVISER, first_name="Léa", last_name="Noir",
        email="lea.noir@cpam.example", actor=SYSTEM,
    )  # fmt: skip
    body = OutboundEmail.objects.get(template="agent_welcome").body
    provisional = body.split("mot de passe provisoire : ")[1].split()[0]
    assert post_password(client, agent, password=provisional).url == reverse(
        "backoffice:choose_password"
    )
    weak = client.post(
        reverse("backoffice:choose_password"), {"password": "court", "password_confirm": "court"}
    )
    assert "au moins 12 caractères" in text(weak)
    response = client.post(
        reverse("backoffice:choose_password"),
        {"password": "Bourg-en-Bresse-01", "password_confirm": "Bourg-en-Bresse-01"},
    )
    assert response.url == reverse("backoffice:enrol")
    page = text(client.get(reverse("backoffice:enrol")))
    assert 'src="data:image/svg+xml;' in page
    secret = Account.objects.get(pk=agent.pk).agent_profile.totp_secret
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    wrong = client.post(reverse("backoffice:enrol"), {"code": "12345"})
    assert "Le code affiché par l'application comporte 6 chiffres." in text(wrong)
    done = text(client.post(reverse("backoffice:enrol"), {"code": pyotp.TOTP(secret).now()}))
    assert "Vos codes de secours" in done and done.count("-") >= 10
    assert client.get(reverse("backoffice:home")).status_code == 200


def test_an_agent_logs_out_and_the_journal_says_so(client, adviser):
    client.force_login(adviser)
    response = client.post(reverse("backoffice:logout"))
    assert response.url == reverse("backoffice:login")
    assert AuditEvent.objects.filter(action="logout", target_id=str(adviser.pk)).exists()
    assert client.get(reverse("backoffice:home")).status_code == 302


def test_the_agents_menu_replaces_the_members_one(client, supervisor):
    client.force_login(supervisor)
    page = text(client.get(reverse("backoffice:home")))
    for label in ("Rechercher un assuré", "Files de travail", "Journal", "Référentiels"):
        assert label in page
    assert "Mes paiements" not in page
    assert f'action="{reverse("backoffice:logout")}"' in page


# --- Search --------------------------------------------------------------------------------------


@pytest.fixture
def renaldo(fund):
    return InsuredPersonFactory(
        fund=fund, birth_name="ZOVI", first_names="Renaldo", birth_date=dt.date(1974, 11, 22),
        email="renaldo.zovi@example.org",
    )  # fmt: skip


def search(client, **params):
    return client.get(reverse("backoffice:search"), params)


@pytest.mark.parametrize(
    "params",
    [
        {"nir": "NIR13"},
        {"nir": "NIR15"},
        {"nir": "SPACED"},
        {"last_name": "zovi", "birth_date": "22/11/1974"},
        {"email": "Renaldo.Zovi@example.org"},
    ],
)
def test_a_member_is_found_by_nir_with_or_without_key_by_name_and_birth_date_or_by_email(
    client, adviser, renaldo, params
):
    client.force_login(adviser)
    nir15 = nir15_of(renaldo)
    spaced = " ".join([nir15[0], nir15[1:3], nir15[3:5], nir15[5:7], nir15[7:10], nir15[10:13]])
    values = {"NIR13": nir15[:13], "NIR15": nir15, "SPACED": spaced}
    params = {k: values.get(v, v) for k, v in params.items()}
    page = text(search(client, **params))
    assert "1 assuré trouvé." in page
    assert reverse("backoffice:member_file", args=[renaldo.pk]) in page
    event = AuditEvent.objects.get(action="member.searched")
    assert event.details["results"] == 1 and renaldo.nir not in str(event.details)


def test_a_search_that_matches_nothing_says_so(client, adviser, renaldo):
    client.force_login(adviser)
    page = text(search(client, last_name="ZOVI", birth_date="23/11/1974"))
    assert "Aucun assuré de votre caisse ne correspond à votre recherche." in page


def test_a_member_of_another_fund_is_never_found(client, adviser, stranger):
    client.force_login(adviser)
    assert "Aucun assuré de votre caisse" in text(search(client, nir=stranger.nir))


def test_bad_search_input_gets_a_french_message_next_to_the_field(client, adviser):
    client.force_login(adviser)
    assert "clé (les 2 derniers chiffres) ne correspond pas" in text(
        search(client, nir="1 74 11 71 270 102 99")
    )
    assert "Avec un nom, indiquez la date de naissance." in text(search(client, last_name="ZOVI"))
    page = text(search(client, last_name="ZOVI", birth_date="31/02/1974"))
    assert "Saisissez une date au format JJ/MM/AAAA" in page and 'value="ZOVI"' in page


def test_search_results_are_paginated(client, adviser, fund):
    InsuredPersonFactory.create_batch(
        25, fund=fund, birth_name="MARTIN", birth_date=dt.date(1980, 1, 1)
    )
    client.force_login(adviser)
    first = text(search(client, last_name="martin", birth_date="01/01/1980"))
    assert "25 assurés trouvés." in first and "Page 1 sur 2" in first
    second = text(
        client.get(
            reverse("backoffice:search"),
            {"last_name": "martin", "birth_date": "01/01/1980", "page": 2},
        )
    )
    assert "Page 2 sur 2" in second


# --- The member's file ---------------------------------------------------------------------------


def test_each_tab_of_the_file_opens_and_each_opening_is_journaled(client, adviser, member_account):
    client.force_login(adviser)
    person = member_account.person
    for tab, expected in (
        ("identite", person.nir_display), ("famille", "Ayants droit"), ("droits", "Régime"),
        ("coordonnees", person.email), ("compte", "Appareils de confiance"),
        ("paiements", "Aucun paiement"), ("creances", "Aucun avis de sommes à payer"),
        ("demarches", "Ce service arrive bientôt."), ("messages", "Aucun échange avec cet assuré."),
        ("rendez-vous", "Ce service arrive bientôt."),
    ):  # fmt: skip
        response = client.get(reverse("backoffice:member_file_tab", args=[person.pk, tab]))
        assert expected in text(response), tab
    views = AuditEvent.objects.filter(action="member_file.viewed", person_id=person.pk)
    assert views.count() == 10
    event = views.first()
    assert (event.actor_kind, event.actor_id) == ("agent", str(adviser.pk))
    assert event.details["service"] == "Service relation assurés"
    assert event.details["fund"] == "CPAM de l'Ain"
    assert event.ip == "127.0.0.1"


def test_the_rights_tab_lists_the_exonerations_du_ticket_moderateur_without_a_condition(
    client, adviser, member_account
):
    client.force_login(adviser)
    person = member_account.person
    url = reverse("backoffice:member_file_tab", args=[person.pk, "droits"])
    assert "Aucune exonération du ticket modérateur" in text(client.get(url))
    PatientShareExemptionFactory(person=person, start_on=dt.date(2021, 3, 12))
    PatientShareExemptionFactory(
        person=person, kind="invalidity", start_on=dt.date(2015, 1, 5), end_on=dt.date(2020, 1, 4)
    )

    tab = page_words(client.get(url))

    assert "En cours Affection de longue durée (ALD), depuis le 12/03/2021, sans date de fin" in tab
    assert "Terminée Pension d'invalidité, du 05/01/2015 au 04/01/2020" in tab
    assert "jamais l'affection en cause" in tab
    assert tab.index("12/03/2021") < tab.index("05/01/2015")  # the latest first


def test_another_funds_member_or_an_unknown_tab_is_a_404(client, adviser, stranger, member_account):
    client.force_login(adviser)
    assert client.get(reverse("backoffice:member_file", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("backoffice:unlock", args=[stranger.pk])).status_code == 404
    assert (
        client.get(
            reverse("backoffice:member_file_tab", args=[member_account.insured_person_id, "nope"])
        ).status_code
        == 404
    )
    assert not AuditEvent.objects.filter(action="member_file.viewed").exists()


def test_the_payments_tab_lists_the_files_payments_and_each_detail_is_journaled(
    client, agent_of, member_account
):
    from guichet.payments.models import Copayment, Payment
    from guichet.payments.tests.factories import gp_and_pharmacy, load

    comptable = agent_of(AgentRole.ACCOUNTANT)
    client.force_login(comptable)
    person = member_account.person
    pharmacy, gp = gp_and_pharmacy(person)
    load([pharmacy, gp])

    tab = text(client.get(reverse("backoffice:member_file_tab", args=[person.pk, "paiements"])))
    assert "2 paiements" in tab and person.full_name in tab
    paid = Payment.objects.get(external_id=gp["external_id"])
    url = reverse("backoffice:member_payment", args=[person.pk, paid.pk])
    assert url in tab

    page = text(client.get(url))
    assert "<h1" in page and f"Paiement du {paid.paid_on:%d/%m/%Y}" in page
    franchise = Copayment.objects.get(status="recovered")
    assert "Récupérées sur ce paiement" in page and franchise.line.act_label in page
    event = AuditEvent.objects.filter(action="member_file.viewed").latest("pk")
    assert event.person_id == person.pk
    assert event.details["tab"] == "paiements"
    assert event.details["payment"] == gp["external_id"]
    assert event.details["service"] == "Service comptable"


def test_a_payment_of_another_file_is_a_404(client, adviser, member_account, fund):
    from guichet.payments.models import Payment
    from guichet.payments.tests.factories import gp_and_pharmacy, load

    other = InsuredPersonFactory(fund=fund)
    load(gp_and_pharmacy(other))
    client.force_login(adviser)
    payment = Payment.objects.filter(member=other).first()
    url = reverse("backoffice:member_payment", args=[member_account.insured_person_id, payment.pk])
    assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="member_file.viewed").exists()


def test_the_family_tab_links_the_dependants(client, adviser, member_account):
    client.force_login(adviser)
    child = member_account.person.dependents.get().person
    page = text(
        client.get(
            reverse(
                "backoffice:member_file_tab", args=[member_account.insured_person_id, "famille"]
            )
        )
    )
    assert reverse("backoffice:member_file", args=[child.pk]) in page
    child_page = text(client.get(reverse("backoffice:member_file_tab", args=[child.pk, "famille"])))
    assert "Rattaché(e) comme ayant droit à" in child_page


# --- Actions on the account ----------------------------------------------------------------------


def test_unlocking_asks_for_a_reason_then_unlocks_and_tells_the_member(
    client, adviser, member_account
):
    Account.objects.filter(pk=member_account.pk).update(
        locked_until=timezone.now() + dt.timedelta(hours=1)
    )
    client.force_login(adviser)
    url = reverse("backoffice:unlock", args=[member_account.insured_person_id])
    assert "Indiquez le motif de cette action." in text(client.post(url, {"reason": ""}))
    response = client.post(url, {"reason": "Appel de l'assuré, identité vérifiée"})
    assert response.url == reverse(
        "backoffice:member_file_tab", args=[member_account.insured_person_id, "compte"]
    )
    member_account.refresh_from_db()
    assert not member_account.is_locked()
    assert (
        AuditEvent.objects.get(action="account.unlocked").details["reason"]
        == "Appel de l'assuré, identité vérifiée"
    )
    assert OutboundEmail.objects.filter(subject="Votre compte a été débloqué").exists()
    assert "Le compte est débloqué." in text(client.get(response.url))


def test_closing_needs_the_reason_and_the_box_then_closes(client, agent_of, member_account):
    client.force_login(agent_of(AgentRole.CASE_WORKER))
    url = reverse("backoffice:close_account", args=[member_account.insured_person_id])
    page = text(client.post(url, {"reason": "Demande écrite de l'assuré"}))
    assert "Cochez la case pour confirmer la fermeture du compte." in page
    client.post(url, {"reason": "Demande écrite de l'assuré", "confirm": "on"})
    member_account.refresh_from_db()
    assert member_account.status == AccountStatus.CLOSED


def test_a_provisional_code_for_a_member_without_email_is_refused_with_a_message(
    client, adviser, fund
):
    account = AccountFactory(insured_person__fund=fund, insured_person__email="")
    client.force_login(adviser)
    url = reverse("backoffice:provisional_code", args=[account.insured_person_id])
    assert "Aucune adresse e-mail n'est connue" in text(client.post(url, {"reason": "code perdu"}))


def test_a_person_without_account_has_no_account_actions(client, adviser, fund):
    person = InsuredPersonFactory(fund=fund)
    client.force_login(adviser)
    assert client.get(reverse("backoffice:unlock", args=[person.pk])).status_code == 404
    page = text(client.get(reverse("backoffice:member_file_tab", args=[person.pk, "compte"])))
    assert "Cette personne n'a pas de compte en ligne." in page


# --- What the member sees ------------------------------------------------------------------------


def test_the_member_sees_when_and_by_which_service_their_file_was_consulted_never_the_agent(
    client, adviser, member_account
):
    client.force_login(adviser)
    client.get(reverse("backoffice:member_file", args=[member_account.insured_person_id]))
    client.force_login(member_account)
    page = text(client.get(reverse("insured:information")))
    assert "Consultations de mon dossier par ma caisse" in page
    assert "CPAM de l'Ain, Service relation assurés" in page
    assert adviser.agent_profile.last_name not in page


def test_a_member_never_consulted_reads_so(client, member_account):
    client.force_login(member_account)
    assert "Aucun agent de votre caisse n'a consulté votre dossier." in text(
        client.get(reverse("insured:information"))
    )


# --- Work queues ---------------------------------------------------------------------------------


@pytest.fixture
def unlock_item(member_account):
    Account.objects.filter(pk=member_account.pk).update(
        locked_until=timezone.now() + dt.timedelta(hours=1)
    )
    identity_services.request_unlock(
        nir13=member_account.identifier, birth_date=member_account.person.birth_date, actor=SYSTEM
    )
    return WorkItem.objects.get()


def test_an_agent_sees_the_queue_takes_an_item_and_unlocking_closes_it(
    client, adviser, unlock_item
):
    client.force_login(adviser)
    page = text(client.get(reverse("backoffice:queue", args=["account_unlock"])))
    assert "demande le déblocage de son compte" in page and "Je m'en occupe" in page
    client.post(reverse("backoffice:take_item", args=[unlock_item.pk]))
    unlock_item.refresh_from_db()
    assert (unlock_item.status, unlock_item.assigned_to_id) == (ItemStatus.ASSIGNED, adviser.pk)
    client.post(
        reverse("backoffice:unlock", args=[unlock_item.person_id]),
        {"reason": "demande reçue en ligne"},
    )
    unlock_item.refresh_from_db()
    assert unlock_item.status == ItemStatus.DONE
    assert "Rien en attente dans cette file." in text(
        client.get(reverse("backoffice:queue", args=["account_unlock"]))
    )


def test_a_superviseur_assigns_an_item_and_the_dashboard_shows_volumes(
    client, supervisor, agent_of, unlock_item
):
    colleague = agent_of(AgentRole.CASE_WORKER)
    client.force_login(supervisor)
    bad = client.post(
        reverse("backoffice:assign_item", args=[unlock_item.pk]), {"agent": "999999"}, follow=True
    )
    assert "Choisissez un agent de la liste" in text(bad)
    client.post(reverse("backoffice:assign_item", args=[unlock_item.pk]), {"agent": colleague.pk})
    unlock_item.refresh_from_db()
    assert unlock_item.assigned_to_id == colleague.pk
    page = text(client.get(reverse("backoffice:dashboard")))
    assert "Demandes de déblocage de compte" in page
    assert f"{colleague.agent_profile.full_name} (Gestionnaire) : 1 élément" in page


def test_the_locked_member_can_ask_to_be_unlocked_from_the_login_page(client, member_account):
    Account.objects.filter(pk=member_account.pk).update(
        locked_until=timezone.now() + dt.timedelta(hours=1)
    )
    page = text(
        client.post(
            reverse("identity:login"), {"nir": member_account.identifier, "code": "Wrong-Code-1"}
        )
    )
    assert "Demander à ma caisse de débloquer mon compte" in page
    response = client.post(
        reverse("identity:unlock_request"),
        {
            "nir": member_account.identifier,
            "birth_date": member_account.person.birth_date.strftime("%d/%m/%Y"),
        },
    )
    assert "Votre demande est enregistrée" in text(response)
    assert WorkItem.objects.filter(person_id=member_account.insured_person_id).count() == 1
    bad = client.post(reverse("identity:unlock_request"), {"nir": "123", "birth_date": "hier"})
    assert "Saisissez les 13 caractères" in text(bad)


# --- Journal -------------------------------------------------------------------------------------


def test_the_superviseur_filters_the_journal_by_member_agent_action_and_dates(
    client, supervisor, adviser, member_account, stranger
):
    other = AccountFactory(insured_person__fund=member_account.person.fund)
    client.force_login(adviser)
    client.get(reverse("backoffice:member_file", args=[member_account.insured_person_id]))
    client.get(reverse("backoffice:member_file", args=[other.insured_person_id]))
    client.force_login(supervisor)
    journal = reverse("backoffice:journal")
    page = text(
        client.get(journal, {"nir": member_account.identifier, "action": "member_file.viewed"})
    )
    assert "1 événement" in page and member_account.person.full_name in page
    assert adviser.agent_profile.full_name in page
    by_agent = text(client.get(journal, {"agent": adviser.pk, "action": "member_file.viewed"}))
    assert "2 événements" in by_agent
    today = timezone.localdate().strftime("%d/%m/%Y")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    assert "2 événements" in text(
        client.get(journal, {"action": "member_file.viewed", "date_from": today, "date_to": today})
    )
    assert "Aucun événement" in text(
        client.get(journal, {"action": "member_file.viewed", "date_from": tomorrow})
    )
    bad = text(client.get(journal, {"date_from": tomorrow, "date_to": today}))
    assert "La date de fin doit être après la date de début." in bad
    assert "Aucun événement" in text(client.get(journal, {"nir": stranger.nir}))  # not their fund


# --- Reference data and agents -------------------------------------------------------------------


def test_the_superviseur_edits_the_fund_with_validation_and_reads_the_history(
    client, supervisor, fund
):
    client.force_login(supervisor)
    url = reverse("backoffice:referential_edit", args=["caisses", fund.pk])
    data = {"name": "CPAM de l'Ain", "address_line1": "1 place de la Grenouillère", "address_line2": "",
            "postal_code": "1000", "city": "Bourg-en-Bresse", "phone": "3646"}  # fmt: skip
    page = text(client.post(url, data))
    assert (
        "Le code postal comporte 5 chiffres" in page
        and 'value="1 place de la Grenouillère"' in page
    )
    assert "Ce champ est obligatoire." in text(client.post(url, {**data, "name": ""}))
    response = client.post(url, {**data, "postal_code": "01000"})
    assert response.url == reverse("backoffice:referential", args=["caisses"])
    fund.refresh_from_db()
    assert (fund.postal_code, fund.city) == ("01000", "BOURG-EN-BRESSE")
    history = text(client.get(reverse("backoffice:referential_history", args=["caisses", fund.pk])))
    assert "adresse : « (vide) » devient « 1 place de la Grenouillère »" in history
    assert supervisor.agent_profile.full_name in history


def test_another_funds_row_is_a_404(client, supervisor, stranger):
    client.force_login(supervisor)
    url = reverse("backoffice:referential_edit", args=["caisses", stranger.fund_id])
    assert client.get(url).status_code == 404


def test_the_superviseur_adds_an_agent_who_gets_an_email(client, supervisor):
    client.force_login(supervisor)
    url = reverse("backoffice:agent_create")
    assert "Choisissez" in text(
        client.post(url, {"first_name": "Léa", "last_name": "Noir", "email": "x", "role": ""})
    )
    response = client.post(
        url,
        {
            "first_name": "Léa",
            "last_name": "Noir",
            "email": "lea@cpam.example",
            "role": "accountant",
        },
    )
    assert response.url == reverse("backoffice:agents")
    assert OutboundEmail.objects.filter(to="lea@cpam.example", template="agent_welcome").exists()
    again = client.post(
        url,
        {
            "first_name": "Léa",
            "last_name": "Noir",
            "email": "lea@cpam.example",
            "role": "accountant",
        },
    )
    assert "Un agent a déjà cette adresse e-mail." in text(again)


def test_the_superviseur_resets_an_agents_app_and_an_agent_of_another_fund_is_a_404(
    client, supervisor, adviser
):
    client.force_login(supervisor)
    client.post(
        reverse("backoffice:agent_reset_totp", args=[adviser.pk]), {"reason": "téléphone perdu"}
    )
    adviser.refresh_from_db()
    assert not adviser.agent_profile.has_totp
    elsewhere = make_agent()
    assert client.get(reverse("backoffice:agent", args=[elsewhere.pk])).status_code == 404


def test_the_superviseur_closes_an_agents_account_and_the_agent_can_no_longer_log_in(
    client, supervisor, adviser
):
    client.force_login(supervisor)
    url = reverse("backoffice:agent_close", args=[adviser.pk])
    assert "Indiquez le motif de cette action." in text(client.post(url, {"reason": ""}))
    client.post(url, {"reason": "départ de la caisse"})
    adviser.refresh_from_db()
    assert adviser.status == AccountStatus.CLOSED
    assert "Ce compte d'agent est déjà fermé." in text(
        client.post(url, {"reason": "encore une fois"})
    )
    client.logout()
    assert "incorrect" in text(post_password(client, adviser))


def test_the_member_file_answers_in_a_constant_number_of_queries(
    client, adviser, fund, django_assert_num_queries
):
    from django.conf import settings

    from guichet.payments.tests.factories import gp_and_pharmacy, history, load

    small = AccountFactory(insured_person__fund=fund, insured_person__with_dependents=1)
    big = AccountFactory(insured_person__fund=fund, insured_person__with_dependents=5)
    client.force_login(adviser)
    client.get(reverse("backoffice:home"))
    session = 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0
    for account in (small, big):
        url = reverse("backoffice:member_file_tab", args=[account.insured_person_id, "compte"])
        # account with profile and fund, person, Vitale cards, CEAM, journal line, the account
        # and its devices, pending work items (+ the session in the database)
        with django_assert_num_queries(8 + session):
            assert client.get(url).status_code == 200
        url = reverse("backoffice:member_file_tab", args=[account.insured_person_id, "famille"])
        with django_assert_num_queries(7 + session):
            assert client.get(url).status_code == 200
    # … the count of the payments, one page of them with the member and the beneficiary
    load(gp_and_pharmacy(small.person))
    load(history(big.person, start=dt.date(2025, 1, 1), end=dt.date(2026, 10, 31)))
    for account in (small, big):
        url = reverse("backoffice:member_file_tab", args=[account.insured_person_id, "paiements"])
        with django_assert_num_queries(7 + session):
            assert client.get(url).status_code == 200


def test_the_journal_shows_an_agents_logins_under_their_name_in_french(client, supervisor, adviser):
    post_password(client, adviser, password="wrong-password-1")
    client.force_login(supervisor)
    page = text(client.get(reverse("backoffice:journal"), {"agent": adviser.pk}))
    assert "Échec de connexion d'un agent" in page and adviser.agent_profile.full_name in page
    assert "<td>agent_login.failed</td>" not in page


def test_an_agent_who_forgot_their_password_gets_a_provisional_one_from_the_superviseur(
    client, supervisor, adviser
):
    client.force_login(supervisor)
    client.post(reverse("backoffice:agent_new_password", args=[adviser.pk]), {"reason": "oubli"})
    client.logout()
    assert "incorrect" in text(post_password(client, adviser))  # the old one no longer works
    body = OutboundEmail.objects.get(to=adviser.identifier, template="agent_new_password").body
    provisional = body.split("mot de passe provisoire : ")[1].split()[0]
    assert post_password(client, adviser, password=provisional).url == reverse(
        "backoffice:choose_password"
    )
    response = client.post(
        reverse("backoffice:choose_password"),
        {"password": "Nouveau-Mot-2026", "password_confirm": "Nouveau-Mot-2026"},
    )
    assert response.url == reverse("backoffice:second_factor")  # the app stays enrolled
