import re
import time

import pytest
from django.urls import reverse

from guichet.core.models import AuditEvent
from guichet.core.tests.pages import page_html as page_text
from guichet.identity.enums import AccountStatus
from guichet.identity.middleware import LAST_SEEN
from guichet.identity.models import Account
from guichet.identity.tests.factories import CODE, AccountFactory
from guichet.insured.tests.factories import InsuredPersonFactory
from guichet.messaging.models import OutboundEmail

pytestmark = pytest.mark.django_db
LOGIN = reverse("identity:login")


def nir_of(account) -> str:
    n = account.identifier
    return f"{n[0]} {n[1:3]} {n[3:5]} {n[5:7]} {n[7:10]} {n[10:]}"


def last_code(email: str, digits: int) -> str:
    body = OutboundEmail.objects.filter(to=email).latest("created_at").body
    return re.search(rf"\b(\d{{{digits}}})\b", body).group(1)


def log_in(client, account, code=CODE):
    """The whole login, e-mail code included; returns the last response."""
    response = client.post(LOGIN, {"nir": nir_of(account), "code": code})
    if response.get("Location") == reverse("identity:email_code"):
        response = client.post(
            reverse("identity:email_code"), {"code": last_code(account.insured_person.email, 6)}
        )
    return response


def test_login_page_has_the_seeds_wording(client):
    page = page_text(client.get(LOGIN))
    for text in [
        "J'accède à mon compte",
        "Mon numéro de sécurité sociale",
        "Mon code personnel",
        "Me connecter",
        "Où trouver mon numéro de sécurité sociale ?",
        "Code oublié ?",
        "Première visite ? Créer un compte",
        # FranceConnect's official button and link (ADR 0033), their labels to the letter
        '<span class="fr-connect__login">S’identifier avec</span>',
        '<span class="fr-connect__brand">FranceConnect</span>',
        'title="Qu’est-ce que FranceConnect ? - nouvelle fenêtre">Qu’est-ce que FranceConnect ?</a>',
    ]:
        assert text in page


def test_member_pages_redirect_anonymous_visitors_to_the_login(client):
    response = client.get(reverse("home:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_first_login_from_a_new_device_asks_the_email_code_then_opens_the_home(client):
    account = AccountFactory()
    response = client.post(LOGIN, {"nir": nir_of(account), "code": CODE})
    assert response["Location"] == reverse("identity:email_code")
    assert "_auth_user_id" not in client.session
    response = client.post(
        reverse("identity:email_code"), {"code": last_code(account.insured_person.email, 6)}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home:index")
    assert client.session["_auth_user_id"] == str(account.pk)
    assert response.cookies["guichet_appareil"]["httponly"]


def test_next_login_from_the_trusted_device_skips_the_email_code(client):
    account = AccountFactory()
    log_in(client, account)
    client.post(reverse("identity:logout"))
    response = client.post(LOGIN, {"nir": nir_of(account), "code": CODE})
    assert response["Location"] == reverse("home:index")


def test_login_rotates_the_session_key(client):
    account = AccountFactory()
    client.post(LOGIN, {"nir": nir_of(account), "code": CODE})
    before = client.session.session_key
    client.post(
        reverse("identity:email_code"), {"code": last_code(account.insured_person.email, 6)}
    )
    assert client.session.session_key != before


def test_login_returns_where_the_member_was_going(client):
    account = AccountFactory()
    client.get(reverse("insured:information"))
    client.post(
        f"{LOGIN}?next=/mes-informations/",
        {"nir": nir_of(account), "code": CODE, "next": "/mes-informations/"},
    )
    response = client.post(
        reverse("identity:email_code"), {"code": last_code(account.insured_person.email, 6)}
    )
    assert response["Location"] == "/mes-informations/"


def test_login_never_redirects_to_another_site(client):
    account = AccountFactory()
    client.post(LOGIN, {"nir": nir_of(account), "code": CODE, "next": "https://evil.example/"})
    response = client.post(
        reverse("identity:email_code"), {"code": last_code(account.insured_person.email, 6)}
    )
    assert response["Location"] == reverse("home:index")


def test_wrong_code_keeps_the_nir_typed_and_says_tries_left(client):
    account = AccountFactory()
    response = client.post(LOGIN, {"nir": nir_of(account), "code": "Mauvais-code-1"})
    text = page_text(response)
    assert response.status_code == 200
    assert "Il vous reste 4 essais" in text
    assert f'value="{nir_of(account)}"' in text
    assert "Mauvais-code-1" not in text


def test_the_same_error_for_an_unknown_nir_and_a_wrong_code(client):
    account = AccountFactory()
    wrong = page_text(client.post(LOGIN, {"nir": nir_of(account), "code": "Mauvais-code-1"}))
    unknown = page_text(client.post(LOGIN, {"nir": "1 85 01 75 123 456", "code": "Mauvais-code-1"}))
    message = "Le numéro de sécurité sociale ou le code saisi est incorrect."
    assert message.replace("'", "'") in wrong
    assert message.replace("'", "'") in unknown


def test_a_malformed_nir_gets_an_error_next_to_the_field(client):
    response = client.post(LOGIN, {"nir": "12345", "code": CODE})
    text = page_text(response)
    assert 'id="id_nir_error"' in text
    assert 'aria-invalid="true"' in text
    assert "13 caractères" in text


def test_five_wrong_codes_show_the_lock_message(client):
    account = AccountFactory()
    for _ in range(5):
        response = client.post(LOGIN, {"nir": nir_of(account), "code": "Mauvais-code-1"})
    assert "bloqué après 5 codes erronés" in page_text(response)
    assert Account.objects.get(pk=account.pk).locked_until is not None


def test_logins_are_rate_limited_per_address(client, settings):
    settings.GUICHET_LOGIN_RATE_PER_IP = "3/m"
    account = AccountFactory()
    for _ in range(3):
        client.post(LOGIN, {"nir": nir_of(account), "code": "Mauvais-code-1"})
    response = client.post(LOGIN, {"nir": nir_of(account), "code": CODE})
    assert "Trop de tentatives" in page_text(response)
    assert "_auth_user_id" not in client.session


def test_three_wrong_email_codes_send_back_to_the_login(client):
    account = AccountFactory()
    client.post(LOGIN, {"nir": nir_of(account), "code": CODE})
    for _ in range(2):
        response = client.post(reverse("identity:email_code"), {"code": "000000"})
        assert response.status_code == 200
    response = client.post(reverse("identity:email_code"), {"code": "000000"})
    assert response["Location"] == LOGIN


def test_email_code_page_without_a_pending_login_goes_back_to_the_login(client):
    assert client.get(reverse("identity:email_code"))["Location"] == LOGIN


def test_a_new_email_code_can_be_asked_three_times(client):
    account = AccountFactory()
    client.post(LOGIN, {"nir": nir_of(account), "code": CODE})
    for _ in range(4):
        client.post(reverse("identity:email_code"), {"action": "resend"})
    assert OutboundEmail.objects.filter(template="login_code").count() == 4


def test_provisional_code_then_personal_code_then_home(client):
    person = InsuredPersonFactory()
    from guichet.core.actors import SYSTEM
    from guichet.identity import services

    account = services.create_member_account(
        person=person, email="newbie@example.org", actor=SYSTEM
    )
    response = client.post(
        LOGIN, {"nir": nir_of(account), "code": last_code("newbie@example.org", 4)}
    )
    assert response["Location"] == reverse("identity:choose_code")
    weak = client.post(
        reverse("identity:choose_code"), {"new_code": "abc", "new_code_confirm": "abc"}
    )
    assert "Ajoutez au moins une lettre majuscule." in page_text(weak)
    response = client.post(
        reverse("identity:choose_code"),
        {"new_code": "Mon-Code-2026", "new_code_confirm": "Mon-Code-2026"},
    )
    assert response["Location"] == reverse("home:index")
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE


def test_logout_ends_the_session_and_shows_the_seeds_message(client):
    account = AccountFactory()
    client.force_login(account)
    response = client.post(reverse("identity:logout"), follow=True)
    text = page_text(response)
    assert "Vous êtes déconnecté(e) de votre compte." in text
    assert "Merci de votre visite !" in text
    assert "Vous souhaitez vous reconnecter ?" in text
    assert "J'accède à mon compte" in text
    assert client.get(reverse("home:index")).status_code == 302
    assert AuditEvent.objects.filter(action="logout", person_id=account.insured_person_id).exists()


def test_twenty_idle_minutes_end_the_session(client):
    client.force_login(AccountFactory())
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 21 * 60
    session.save()
    response = client.get(reverse("home:index"), follow=True)
    assert response.redirect_chain[-1][0].startswith(LOGIN)
    assert "après 20 minutes sans activité" in page_text(response)


def test_activity_within_twenty_minutes_keeps_the_session(client):
    client.force_login(AccountFactory())
    session = client.session
    session[LAST_SEEN] = int(time.time()) - 19 * 60
    session.save()
    assert client.get(reverse("home:index")).status_code == 200


def test_forgot_code_answers_the_same_whether_or_not_the_account_exists(client):
    account = AccountFactory()
    person = account.insured_person
    known = client.post(
        reverse("identity:forgot_code"),
        {"nir": nir_of(account), "birth_date": person.birth_date.strftime("%d/%m/%Y")},
    )
    unknown = client.post(
        reverse("identity:forgot_code"), {"nir": "1 85 01 75 123 456", "birth_date": "01/01/1985"}
    )
    assert known["Location"] == unknown["Location"] == reverse("identity:forgot_code_sent")
    assert OutboundEmail.objects.filter(template="provisional_code_reset").count() == 1


def test_forgot_code_with_a_bad_date_keeps_what_was_typed(client):
    response = client.post(
        reverse("identity:forgot_code"), {"nir": "1 74 11 71 270 102", "birth_date": "31/02/1974"}
    )
    text = page_text(response)
    assert "Saisissez une date au format JJ/MM/AAAA" in text
    assert 'value="1 74 11 71 270 102"' in text


# --- Account creation ----------------------------------------------------------------------------


def identity_step(person, **overrides):
    data = {
        "last_name": person.birth_name.lower(),
        "nir": nir_of(person.account)
        if hasattr(person, "account")
        else f"{person.nir[0]} {person.nir[1:]}",
        "birth_date": person.birth_date.strftime("%d/%m/%Y"),
        "postal_code": person.postal_code,
    }
    return data | overrides


def test_account_creation_walks_through_the_three_steps(client):
    person = InsuredPersonFactory(iban="FR7630006000011234567890189", email="")
    response = client.post(reverse("identity:signup"), identity_step(person))
    assert response["Location"] == reverse("identity:signup_iban")
    response = client.post(reverse("identity:signup_iban"), {"iban_suffix": "789 0189"})
    assert response["Location"] == reverse("identity:signup_email")
    response = client.post(
        reverse("identity:signup_email"),
        {"email": "moi@example.org", "email_confirm": "moi@example.org"},
    )
    assert response["Location"] == reverse("identity:signup_done")
    assert "moi@example.org" in page_text(client.get(reverse("identity:signup_done")))
    assert Account.objects.get(insured_person=person).status == AccountStatus.PROVISIONAL
    assert OutboundEmail.objects.get(to="moi@example.org").template == "provisional_code"


def test_account_creation_tells_an_unknown_identity_without_saying_which_field(client):
    person = InsuredPersonFactory()
    response = client.post(reverse("identity:signup"), identity_step(person, postal_code="75001"))
    assert "ne nous permettent pas de vous identifier" in page_text(response)


def test_account_creation_every_field_is_required_and_says_so(client):
    text = page_text(client.post(reverse("identity:signup"), {}))
    assert text.count("Ce champ est obligatoire.") == 4
    assert text.count("(champ obligatoire)") == 4


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"ame": True}, "Aide médicale de l'État (AME)"),
        ({"rights_closed": True}, "ne sont pas ouverts à ce jour"),
    ],
)
def test_account_creation_refusals_are_explained(client, kwargs, message):
    person = InsuredPersonFactory(**kwargs)
    text = page_text(client.post(reverse("identity:signup"), identity_step(person)))
    assert "Vous ne pouvez pas créer de compte en ligne." in text
    assert message in text


def test_account_creation_for_an_existing_account_points_to_the_login(client):
    account = AccountFactory()
    text = page_text(client.post(reverse("identity:signup"), identity_step(account.insured_person)))
    assert "Un compte existe déjà" in text
    assert "Code oublié ?" in text


def test_three_wrong_iban_suffixes_restart_the_creation(client):
    person = InsuredPersonFactory(iban="FR7630006000011234567890189")
    client.post(reverse("identity:signup"), identity_step(person))
    for left in (2, 1):
        text = page_text(client.post(reverse("identity:signup_iban"), {"iban_suffix": "0000000"}))
        assert f"Il vous reste {left} essai" in text
    response = client.post(reverse("identity:signup_iban"), {"iban_suffix": "0000000"})
    assert response["Location"] == reverse("identity:signup")
    assert client.get(reverse("identity:signup_iban"))["Location"] == reverse("identity:signup")


def test_account_creation_without_iban_on_file_explains_the_other_ways(client):
    person = InsuredPersonFactory(iban="")
    client.post(reverse("identity:signup"), identity_step(person))
    text = page_text(client.get(reverse("identity:signup_iban")))
    assert "ne connaît pas encore de coordonnées bancaires" in text


def test_account_creation_refuses_an_address_already_used(client):
    AccountFactory(insured_person__email="pris@example.org")
    person = InsuredPersonFactory(iban="FR7630006000011234567890189")
    client.post(reverse("identity:signup"), identity_step(person))
    client.post(reverse("identity:signup_iban"), {"iban_suffix": "7890189"})
    text = page_text(
        client.post(
            reverse("identity:signup_email"),
            {"email": "pris@example.org", "email_confirm": "pris@example.org"},
        )
    )
    assert "Il n'est pas possible de saisir une même adresse mail pour plusieurs comptes" in text
    assert not Account.objects.filter(insured_person=person).exists()


def test_account_creation_steps_cannot_be_skipped(client):
    assert client.get(reverse("identity:signup_email"))["Location"] == reverse("identity:signup")
    assert client.get(reverse("identity:signup_done"))["Location"] == reverse("identity:signup")


# --- Account settings ----------------------------------------------------------------------------


def test_changing_the_email_needs_the_code_sent_to_the_new_address(client):
    account = AccountFactory(insured_person__email="avant@example.org")
    client.force_login(account)
    response = client.post(
        reverse("identity:change_email"),
        {"email": "apres@example.org", "email_confirm": "apres@example.org"},
    )
    assert response["Location"] == reverse("identity:change_email_confirm")
    account.insured_person.refresh_from_db()
    assert account.insured_person.email == "avant@example.org"
    response = client.post(
        reverse("identity:change_email_confirm"), {"code": last_code("apres@example.org", 6)}
    )
    assert response["Location"] == reverse("insured:information")
    account.insured_person.refresh_from_db()
    assert account.insured_person.email == "apres@example.org"


def test_changing_the_code_keeps_the_member_logged_in(client):
    account = AccountFactory()
    client.force_login(account)
    response = client.post(
        reverse("identity:change_code"),
        {"current_code": CODE, "new_code": "Nouveau-Code-9", "new_code_confirm": "Nouveau-Code-9"},
    )
    assert response["Location"] == reverse("insured:information")
    assert client.get(reverse("home:index")).status_code == 200


def test_changing_the_code_with_a_wrong_current_code_says_so_next_to_it(client):
    client.force_login(AccountFactory())
    text = page_text(
        client.post(
            reverse("identity:change_code"),
            {
                "current_code": "Faux-Code-1",
                "new_code": "Nouveau-Code-9",
                "new_code_confirm": "Nouveau-Code-9",
            },
        )
    )
    assert 'id="id_current_code_error"' in text


def test_closing_the_account_logs_out(client):
    account = AccountFactory()
    client.force_login(account)
    response = client.post(
        reverse("identity:close_account"), {"code": CODE, "confirm": "on"}, follow=True
    )
    assert "Votre compte est fermé." in page_text(response)
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSED
    assert client.get(reverse("home:index")).status_code == 302
