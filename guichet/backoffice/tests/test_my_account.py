"""An agent's own account: their password, their second factors, new recovery codes."""

import re

import pytest
from django.urls import reverse

from guichet.core.models import AuditEvent
from guichet.core.tests.pages import page_html as text
from guichet.identity import services as identity_services
from guichet.identity.models import RecoveryCode
from guichet.identity.tests.factories import AGENT_PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Un-Autre-Mot-2027!"


def change(client, current=AGENT_PASSWORD, password=NEW_PASSWORD, confirm=None):
    return client.post(
        reverse("backoffice:my_password"),
        {"current": current, "password": password, "password_confirm": confirm or password},
    )


def test_my_account_is_in_the_menu_and_lists_the_second_factors(client, adviser):
    identity_services.regenerate_recovery_codes(
        account=adviser, current=AGENT_PASSWORD, actor=adviser_actor(adviser)
    )
    client.force_login(adviser)

    home = text(client.get(reverse("backoffice:home")))
    assert reverse("backoffice:my_account") in home
    page = text(client.get(reverse("backoffice:my_account")))
    assert "Application d'authentification" in page
    assert "10 codes sur 10 encore utilisables" in page
    assert adviser.agent_profile.email in page


def adviser_actor(account):
    from guichet.core.actors import Actor, ActorKind

    return Actor(kind=ActorKind.AGENT, id=str(account.pk), ip="127.0.0.1")


def test_an_agent_changes_their_password_and_stays_signed_in(client, adviser):
    client.force_login(adviser)

    response = change(client)

    assert response.status_code == 302 and response.url == reverse("backoffice:my_account")
    adviser.refresh_from_db()
    assert adviser.check_password(NEW_PASSWORD) and not adviser.check_password(AGENT_PASSWORD)
    assert client.get(reverse("backoffice:home")).status_code == 200  # the session survived
    event = AuditEvent.objects.get(action="agent.password_changed")
    assert (event.actor_id, event.target_id) == (str(adviser.pk), str(adviser.pk))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"current": "pas-le-bon-1"}, "Votre mot de passe actuel est incorrect."),
        ({"password": "court-1"}, "au moins 12 caractères"),
        ({"password": "123456789012345"}, "Ajoutez au moins une lettre."),
        ({"password": AGENT_PASSWORD}, "Choisissez un mot de passe différent de l'actuel."),
        ({"password": "cpam.example12"}, "trop semblable au champ «\xa0adresse e-mail\xa0»"),
        ({"confirm": "Un-Autre-Mot-2028!"}, "Les deux mots de passe saisis ne sont pas identiques."),
        ({"current": ""}, "obligatoire"),
    ],
)  # fmt: skip
def test_a_refused_password_says_why_next_to_the_field(client, adviser, fields, message):
    client.force_login(adviser)

    response = change(client, **fields)

    assert response.status_code == 200 and message in text(response)
    adviser.refresh_from_db()
    assert adviser.check_password(AGENT_PASSWORD)
    assert not AuditEvent.objects.filter(action="agent.password_changed").exists()


def test_five_wrong_current_passwords_lock_the_account_like_five_failed_logins(client, adviser):
    client.force_login(adviser)
    for _ in range(5):
        response = change(client, current="pas-le-bon-1")
    assert "bloqué" in text(response)
    adviser.refresh_from_db()
    assert adviser.locked_until is not None


def test_new_recovery_codes_are_shown_once_and_the_old_ones_stop_working(client, adviser):
    client.force_login(adviser)
    url = reverse("backoffice:my_recovery_codes")
    refused = client.post(url, {"current": "pas-le-bon-1"})
    assert "Votre mot de passe actuel est incorrect." in text(refused)
    first = text(client.post(url, {"current": AGENT_PASSWORD}))
    old = set(RecoveryCode.objects.values_list("code_hash", flat=True))

    page = text(client.post(url, {"current": AGENT_PASSWORD}))

    codes = re.findall(r"<li>([a-z0-9-]+)</li>", page)
    assert len(codes) == 10 and not set(codes) & set(re.findall(r"<li>([a-z0-9-]+)</li>", first))
    assert "les anciens ne fonctionnent plus" in page
    assert not old & set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert AuditEvent.objects.filter(action="agent.recovery_codes_regenerated").count() == 2
    assert codes[0] not in text(client.get(reverse("backoffice:my_account")))
