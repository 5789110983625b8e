"""FranceConnect's screens, with the provider forged in the test: outcomes, failures, journal."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from guichet.core.actors import SYSTEM
from guichet.core.models import AuditEvent
from guichet.core.tests.pages import page_html as text
from guichet.identity import services
from guichet.identity.enums import AccountStatus, FranceConnectPurpose
from guichet.identity.franceconnect import views as fc_views
from guichet.identity.models import Account, EmailChallenge, FranceConnectState
from guichet.identity.tests.factories import AccountFactory
from guichet.identity.tests.fake_franceconnect import (
    DISCOVERY,
    ISSUER,
    FakeFranceConnect,
    make_key,
)
from guichet.insured.enums import Regime, Sex
from guichet.insured.tests.factories import InsuredPersonFactory
from guichet.messaging.models import OutboundEmail

pytestmark = pytest.mark.django_db
START = reverse("identity:franceconnect")
CALLBACK = reverse("identity:franceconnect_callback")
SIGNUP = reverse("identity:franceconnect_signup")
CONFIRM = reverse("identity:change_email_confirm")


def renaldo(**fields):
    values = {
        "nir": "1741171270102",
        "nir_key": "58",
        "sex": Sex.MALE,
        "birth_date": dt.date(1974, 11, 22),
        "birth_name": "ZOVI",
        "first_names": "Renaldo",
        "email": "renaldo.zovi@example.org",
    }
    return InsuredPersonFactory(**(values | fields))


@pytest.fixture
def fake(monkeypatch):
    provider = FakeFranceConnect()
    monkeypatch.setattr(fc_views, "get_client", lambda: provider.client())
    return provider


def start(client, fake) -> str:
    """Press the button; returns the state Guichet sent, and arms the fake with its nonce."""
    response = client.post(START)
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    fake.nonce = query["nonce"][0]
    return query["state"][0]


def come_back(client, fake, **params):
    state = start(client, fake)
    return client.get(CALLBACK, {"state": state, "code": "code-recu", **params})


def failures(reason: str) -> int:
    return AuditEvent.objects.filter(action="franceconnect.failed", details__reason=reason).count()


def test_the_button_posts_to_franceconnect_with_a_fresh_64_character_state_and_nonce(client, fake):
    response = client.post(START, {"next": "/mes-informations/"})
    url = urlsplit(response["Location"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{ISSUER}/authorize"
    assert query["acr_values"] == ["eidas1"]
    row = FranceConnectState.objects.get()
    assert query["state"] == [row.state] and query["nonce"] == [row.nonce]
    assert len(row.state) == len(row.nonce) == 64 and row.state != row.nonce
    assert row.next_url == "/mes-informations/"
    assert client.session[fc_views.SESSION_STATE] == row.state


def test_a_member_with_an_account_logs_in_without_any_code(client, fake):
    account = AccountFactory(insured_person=renaldo())
    response = come_back(client, fake)
    assert response.status_code == 302 and response["Location"] == reverse("home:index")
    assert client.session["_auth_user_id"] == str(account.pk)
    assert client.session[fc_views.SESSION_ID_TOKEN].count(".") == 2
    assert not EmailChallenge.objects.exists()
    assert AuditEvent.objects.filter(
        action="login.succeeded", target_id=str(account.pk), details__method="franceconnect"
    ).exists()


def test_the_login_goes_where_the_member_was_heading(client, fake):
    AccountFactory(insured_person=renaldo())
    response = client.post(START, {"next": "/mes-informations/"})
    query = parse_qs(urlsplit(response["Location"]).query)
    fake.nonce = query["nonce"][0]
    response = client.get(CALLBACK, {"state": query["state"][0], "code": "c"})
    assert response["Location"] == "/mes-informations/"


def test_an_outside_next_is_ignored(client, fake):
    client.post(START, {"next": "https://ailleurs.example/"})
    assert FranceConnectState.objects.get().next_url == ""


def test_a_state_serves_once(client, fake):
    AccountFactory(insured_person=renaldo())
    state = start(client, fake)
    client.get(CALLBACK, {"state": state, "code": "c"})
    client.logout()
    session = client.session
    session[fc_views.SESSION_STATE] = state  # even replayed from the same browser
    session.save()
    response = client.get(CALLBACK, {"state": state, "code": "c"})
    assert response.status_code == 400
    assert "Cette connexion avec FranceConnect a expiré." in text(response)
    assert failures("state") == 1
    assert "_auth_user_id" not in client.session


def test_a_callback_in_another_browser_is_refused(client, fake):
    state = start(client, fake)
    client.cookies.clear()
    response = client.get(CALLBACK, {"state": state, "code": "c"})
    assert response.status_code == 400 and failures("state") == 1
    assert fake.calls["token"] == 0


def test_an_expired_state_is_refused(client, fake):
    state = start(client, fake)
    FranceConnectState.objects.update(created_at=timezone.now() - dt.timedelta(minutes=11))
    response = client.get(CALLBACK, {"state": state, "code": "c"})
    assert response.status_code == 400 and failures("state") == 1


@pytest.mark.parametrize(
    "query",
    ["%C3%A9" * 64, "%00", "a%00" * 32, "%FF%FE" * 32, "+" * 64, "x&state[]=y"],
    ids=["accented", "nul", "with-nul", "not-utf8", "blanks", "array"],
)
def test_an_odd_state_is_refused_on_a_clear_page_never_a_500(client, fake, query):
    start(client, fake)
    response = client.get(f"{CALLBACK}?code=c&state={query}")
    assert response.status_code == 400
    assert "Cette connexion avec FranceConnect a expiré." in text(response)
    assert failures("state") == 1 and fake.calls["token"] == 0


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("error=access_denied&error_description=%00%FF%C3%A9", "denied"),
        ("error=%00" + "x" * 500, "provider_error"),
        ("error=", "provider_error"),
        ("code=", "provider_error"),
        ("code=%00%FF", "provider_error"),
    ],
    ids=["nul-description", "nul-error", "empty-error", "no-code", "nul-code"],
)
def test_an_odd_callback_is_explained_and_journaled_never_a_500(client, fake, query, reason):
    fake.failures["token"] = 400  # FranceConnect refuses a code it did not issue
    state = start(client, fake)
    response = client.get(f"{CALLBACK}?state={state}&{query}")
    assert response.status_code in (200, 400, 502)
    assert "FranceConnect n" in text(response) or "Vous avez annulé" in text(response)
    assert failures(reason) == 1
    assert "_auth_user_id" not in client.session


def test_a_member_cancelling_at_franceconnect_reads_so_and_it_is_journaled(client, fake):
    response = come_back(client, fake, error="access_denied", code="")
    assert "Vous avez annulé la connexion avec FranceConnect." in text(response)
    assert failures("denied") == 1
    assert fake.calls["token"] == 0


def test_another_provider_error_is_explained(client, fake):
    response = come_back(client, fake, error="server_error", code="")
    assert "FranceConnect n'a pas pu vous identifier." in text(response)
    assert failures("provider_error") == 1


def test_a_bad_signature_ends_on_a_clear_page_never_a_500(client, fake):
    AccountFactory(insured_person=renaldo())
    fake.key = make_key(kid=fake.published[0].kid)  # same kid, but not the key published
    response = come_back(client, fake)
    assert response.status_code == 502
    assert "La réponse de FranceConnect n'a pas pu être vérifiée." in text(response)
    assert failures("invalid_token") == 1
    assert "_auth_user_id" not in client.session


def _forge_id_token(**claims):
    return lambda fake: setattr(fake, "id_token", fake.sign(fake.claims(**claims)))


def _fail(name, failure):
    return lambda fake: fake.failures.__setitem__(name, failure)


VERIFIED = "La réponse de FranceConnect n'a pas pu être vérifiée."
DOWN = "FranceConnect ne répond pas pour le moment."


@pytest.mark.parametrize(
    ("forge", "reason", "title"),
    [
        (_forge_id_token(nonce="f" * 64), "invalid_token", VERIFIED),
        (_forge_id_token(iss="https://ailleurs.example/api/v2"), "invalid_token", VERIFIED),
        (_forge_id_token(aud="un-autre-service"), "invalid_token", VERIFIED),
        (_forge_id_token(acr="eidas0"), "invalid_token", VERIFIED),
        (_forge_id_token(acr=None), "invalid_token", VERIFIED),
        (_forge_id_token(exp=1_000_000_000), "invalid_token", VERIFIED),
        (_forge_id_token(iat=float("inf")), "invalid_token", VERIFIED),
        (_forge_id_token(exp=float("-inf")), "invalid_token", VERIFIED),
        (_forge_id_token(exp=float("nan")), "invalid_token", VERIFIED),
        (_forge_id_token(iat=True), "invalid_token", VERIFIED),
        (lambda fake: setattr(fake, "key", make_key(kid="inconnue")), "invalid_token", VERIFIED),
        (lambda fake: setattr(fake, "userinfo_type", "application/json"), "invalid_token", VERIFIED),
        (_fail("token", httpx.Response(200, text="<html>pas du JSON</html>")), "unavailable", DOWN),
        (_fail("token", httpx.Response(200, json=["pas", "un", "objet"])), "unavailable", DOWN),
        (_fail("token", 500), "unavailable", DOWN),
        (_fail("token", httpx.ReadTimeout("trop lent")), "unavailable", DOWN),
        (_fail("jwks", httpx.ConnectError("refusé")), "unavailable", DOWN),
        (_fail("jwks", httpx.Response(200, text="{pas du JSON")), "unavailable", DOWN),
        (_fail("userinfo", httpx.ReadTimeout("trop lent")), "unavailable", DOWN),
        (_fail("userinfo", 503), "unavailable", DOWN),
    ],
    ids=[
        "wrong-nonce", "wrong-issuer", "wrong-audience", "acr-too-low", "no-acr", "expired",
        "iat-infinite", "exp-minus-infinite", "exp-nan", "iat-boolean",
        "unknown-kid", "unsigned-userinfo", "token-not-json", "token-not-object", "token-500",
        "token-timeout", "jwks-down", "jwks-not-json", "userinfo-timeout", "userinfo-503",
    ],
)  # fmt: skip
def test_each_failure_of_the_round_trip_is_explained_journaled_and_opens_no_session(
    client, fake, forge, reason, title
):
    AccountFactory(insured_person=renaldo())
    state = start(client, fake)
    forge(fake)
    response = client.get(CALLBACK, {"state": state, "code": "c"})
    assert response.status_code == 502
    assert f"<h1>{title}</h1>" in text(response)
    assert "S’identifier avec" in text(response)  # the way forward: try again, or the NIR
    assert failures(reason) == 1
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action="login.succeeded").exists()


def test_franceconnect_down_ends_on_a_clear_page(client, fake):
    state = start(client, fake)
    fake.failures["token"] = httpx.ConnectTimeout("trop lent")
    response = client.get(CALLBACK, {"state": state, "code": "c"})
    assert response.status_code == 502
    assert "FranceConnect ne répond pas pour le moment." in text(response)
    assert failures("unavailable") == 1


def test_franceconnect_down_at_the_start_ends_on_a_clear_page(client, fake):
    fake.failures["discovery"] = httpx.ConnectError("refusé")
    response = client.post(START)
    assert response.status_code == 503 and failures("unavailable") == 1


def test_an_incomplete_identity_is_explained(client, fake):
    del fake.identity["birthdate"]
    response = come_back(client, fake)
    assert "ne nous a pas transmis votre identité complète" in text(response)
    assert failures("invalid_identity") == 1


def test_an_unexpected_error_still_ends_on_a_clear_page(client, fake, monkeypatch):
    def broken(claims):
        raise KeyError("surprise")

    monkeypatch.setattr(fc_views.PivotIdentity, "from_claims", broken)
    response = come_back(client, fake)
    assert response.status_code == 502 and failures("unavailable") == 1


def test_nobody_matching_gets_the_way_forward(client, fake):
    response = come_back(client, fake)
    page = text(response)
    assert "Nous ne vous avons pas retrouvé(e)" in page
    assert "aucune personne de notre fichier des assurés" in page
    assert "Première visite ? Créer un compte" in page
    assert AuditEvent.objects.filter(action="franceconnect.no_match.none").count() == 1


def test_two_perfect_homonyms_are_not_chosen_between(client, fake):
    renaldo()
    renaldo(nir="1741171270103", nir_key="57", email="autre@example.org")
    page = text(come_back(client, fake))
    assert "plusieurs personnes de notre fichier des assurés" in page
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="franceconnect.no_match.several").count() == 1


def test_an_ame_beneficiary_is_told_why_no_account_can_be_created(client, fake):
    renaldo(regime=Regime.AME)
    page = text(come_back(client, fake))
    assert "Aide médicale de l'État (AME)" in page
    assert AuditEvent.objects.filter(action="franceconnect.signup_refused.ame").count() == 1


def emailed_code(to: str) -> str:
    body = OutboundEmail.objects.filter(to=to, template="email_change_code").latest("id").body
    return re.search(r"\b(\d{6})\b", body).group(1)


def test_a_member_without_account_creates_it_then_confirms_the_address_franceconnect_gave(
    client, fake
):
    person = renaldo(email="")
    response = come_back(client, fake)
    assert response["Location"] == SIGNUP
    page = text(client.get(SIGNUP))
    assert 'value="renaldo.zovi@example.org"' in page
    assert "Nous vous enverrons un code de sécurité à cette adresse, pour la confirmer." in page
    response = client.post(
        SIGNUP,
        {"email": "renaldo.zovi@example.org", "email_confirm": "renaldo.zovi@example.org"},
    )
    # In at once (FranceConnect proved who they are), on the page that asks the e-mailed code.
    assert response["Location"] == CONFIRM
    account = Account.objects.get(insured_person=person)
    assert account.status == AccountStatus.ACTIVE and not account.has_usable_password()
    assert client.session["_auth_user_id"] == str(account.pk)
    assert client.session[fc_views.SESSION_ID_TOKEN]
    person.refresh_from_db()
    # FranceConnect's e-mail is not a verified claim (protocols.md §1.3): not proven yet, so
    # « Code oublié ? » sends nothing to it.
    assert person.email == "renaldo.zovi@example.org" and person.email_verified_at is None
    assert not services.request_code_reset(
        nir13=person.nir, birth_date=person.birth_date, actor=SYSTEM
    )
    assert set(
        OutboundEmail.objects.filter(to="renaldo.zovi@example.org").values_list(
            "template", flat=True
        )
    ) == {"account_created_franceconnect", "email_change_code"}

    page = text(client.get(CONFIRM))
    assert "<h1>Confirmer mon adresse e-mail</h1>" in page
    assert "Votre compte est créé. Vous vous connecterez désormais avec FranceConnect." in page
    assert "n'est pas encore confirmée" in page
    response = client.post(CONFIRM, {"code": "000000"})
    assert "Ce code n'est pas le bon. Il vous reste 2 essais." in text(response)
    response = client.post(CONFIRM, {"code": emailed_code("renaldo.zovi@example.org")})
    assert response["Location"] == reverse("home:index")
    assert "Votre adresse e-mail renaldo.zovi@example.org est confirmée." in text(
        client.get(response["Location"])
    )
    person.refresh_from_db()
    assert person.email_verified_at is not None
    assert services.request_code_reset(nir13=person.nir, birth_date=person.birth_date, actor=SYSTEM)
    # Same address: no "your address changed" notice to it.
    assert not OutboundEmail.objects.filter(template="email_changed").exists()


def created_with_franceconnect(client, fake):
    """Renaldo, without an account, creates it with the address FranceConnect gave."""
    person = renaldo(email="")
    come_back(client, fake)
    client.post(SIGNUP, twice("renaldo.zovi@example.org"))
    return person


def twice(email: str) -> dict:
    return {"email": email, "email_confirm": email}


def test_an_expired_confirmation_code_can_be_sent_again_to_the_same_address(client, fake):
    person = created_with_franceconnect(client, fake)
    EmailChallenge.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.post(CONFIRM, {"code": emailed_code("renaldo.zovi@example.org")})
    assert response["Location"] == reverse("identity:change_email")
    # The address on file, not proven yet: typing it again sends a new code, not an error.
    response = client.post(reverse("identity:change_email"), twice("renaldo.zovi@example.org"))
    assert response["Location"] == CONFIRM
    client.post(CONFIRM, {"code": emailed_code("renaldo.zovi@example.org")})
    person.refresh_from_db()
    assert person.email_verified_at is not None
    # Once proven, the same address is refused as before.
    response = client.post(reverse("identity:change_email"), twice("renaldo.zovi@example.org"))
    assert "C'est déjà votre adresse e-mail." in text(response)


def test_an_address_left_unconfirmed_is_confirmed_later_from_mes_informations(client, fake):
    person = created_with_franceconnect(client, fake)
    client.get(reverse("home:index"))  # the member goes elsewhere without typing the code
    page = text(client.get(reverse("insured:information")))
    assert "Adresse non confirmée" in page
    response = client.post(reverse("identity:confirm_email"))
    assert response["Location"] == CONFIRM
    assert EmailChallenge.objects.filter(consumed_at__isnull=True).count() == 1  # the new one only
    response = client.post(CONFIRM, {"code": emailed_code("renaldo.zovi@example.org")})
    assert response["Location"] == reverse("home:index")
    person.refresh_from_db()
    assert person.email_verified_at is not None
    assert "Adresse non confirmée" not in text(client.get(reverse("insured:information")))
    sent = OutboundEmail.objects.filter(template="email_change_code").count()
    assert client.post(reverse("identity:confirm_email"))["Location"] == reverse(
        "insured:information"
    )
    assert OutboundEmail.objects.filter(template="email_change_code").count() == sent


def test_another_address_and_a_personal_code_may_be_chosen_at_creation(client, fake):
    person = renaldo(email="")
    come_back(client, fake)
    client.post(
        SIGNUP,
        {
            "email": "r.zovi@example.org",
            "email_confirm": "r.zovi@example.org",
            "new_code": "Zovi-Ambérieu-01".replace("é", "e"),
            "new_code_confirm": "Zovi-Amberieu-01",
        },
    )
    account = Account.objects.get(insured_person=person)
    assert account.check_password("Zovi-Amberieu-01")
    person.refresh_from_db()
    assert person.email == "r.zovi@example.org" and person.email_verified_at is None
    page = text(client.get(CONFIRM))  # the code went to the address chosen
    assert "un code de sécurité à 6 chiffres à <strong>r.zovi@example.org</strong>" in page
    client.post(CONFIRM, {"code": emailed_code("r.zovi@example.org")})
    person.refresh_from_db()
    assert person.email_verified_at is not None


def test_the_creation_step_keeps_what_was_typed_and_says_what_is_wrong(client, fake):
    renaldo(email="")
    come_back(client, fake)
    InsuredPersonFactory(email="prise@example.org")
    response = client.post(
        SIGNUP, {"email": "prise@example.org", "email_confirm": "prise@example.org"}
    )
    assert "même adresse mail pour plusieurs comptes" in text(response)
    assert 'value="prise@example.org"' in text(response)
    response = client.post(
        SIGNUP,
        {
            "email": "libre@example.org",
            "email_confirm": "libre@example.org",
            "new_code": "court",
            "new_code_confirm": "court",
        },
    )
    assert "Ajoutez au moins une lettre majuscule." in text(response)
    assert not Account.objects.exists()


def test_the_creation_step_without_franceconnect_goes_back_to_signup(client):
    response = client.get(SIGNUP)
    assert response["Location"] == reverse("identity:signup")


def test_logout_of_a_franceconnect_session_goes_through_end_session(client, fake):
    AccountFactory(insured_person=renaldo())
    come_back(client, fake)
    id_token = client.session[fc_views.SESSION_ID_TOKEN]
    response = client.post(reverse("identity:logout"))
    url = urlsplit(response["Location"])
    query = parse_qs(url.query)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{ISSUER}/session/end"
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/franceconnect/deconnexion/"]
    assert "_auth_user_id" not in client.session
    row = FranceConnectState.objects.get(purpose=FranceConnectPurpose.LOGOUT)
    assert query["state"] == [row.state]

    back = client.get(reverse("identity:franceconnect_logout_return"), {"state": row.state})
    assert back["Location"] == reverse("identity:logout")
    assert AuditEvent.objects.filter(action="franceconnect.logout_finished").count() == 1
    replay = client.get(reverse("identity:franceconnect_logout_return"), {"state": row.state})
    assert replay["Location"] == reverse("identity:logout") and failures("state") == 1


def test_logout_without_franceconnect_stays_at_guichet(client, fake):
    account = AccountFactory()
    client.force_login(account)
    response = client.post(reverse("identity:logout"))
    assert response["Location"] == reverse("identity:logout")


def test_without_configuration_there_is_no_button_and_no_round_trip(client, settings):
    settings.FC_DISCOVERY_URL = ""
    assert "S’identifier avec" not in text(client.get(reverse("identity:login")))
    assert "S’identifier avec" not in text(client.get(reverse("identity:signup")))
    response = client.post(START)
    assert "La connexion avec FranceConnect n'est pas disponible." in text(response)
    assert not FranceConnectState.objects.exists()


def test_an_account_opened_with_franceconnect_chooses_its_first_code(client):
    account = AccountFactory(password="!unusable")
    client.force_login(account)
    page = text(client.get(reverse("identity:change_code")))
    assert "Je choisis mon code personnel" in page and "actuel" not in page
    response = client.post(
        reverse("identity:change_code"),
        {"new_code": "Premier-Code-2026", "new_code_confirm": "Premier-Code-2026"},
    )
    assert response["Location"] == reverse("insured:information")
    account.refresh_from_db()
    assert account.check_password("Premier-Code-2026")


@pytest.mark.parametrize(
    "query", ["%C3%A9" * 64, "%00", "%FF"], ids=["accented", "nul", "not-utf8"]
)
def test_an_odd_state_back_from_end_session_is_refused_never_a_500(client, fake, query):
    AccountFactory(insured_person=renaldo())
    come_back(client, fake)
    client.post(reverse("identity:logout"))
    response = client.get(f"{reverse('identity:franceconnect_logout_return')}?state={query}")
    assert response["Location"] == reverse("identity:logout")
    assert failures("state") == 1
    assert not AuditEvent.objects.filter(action="franceconnect.logout_finished").exists()


def _links(response) -> dict[str, str]:
    """The page's links, text → address, as a member reads them."""
    import re

    return {
        re.sub(r"<[^>]+>|\s+", " ", label).strip(): href
        for href, label in re.findall(
            r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', text(response), re.S
        )
    }


def test_the_franceconnect_pages_are_reached_by_links_from_the_login_page(client):
    login = _links(client.get(reverse("identity:login")))
    assert login["FranceConnect"] == START
    start_page = client.get(login["FranceConnect"])
    assert start_page.status_code == 200
    help_url = _links(start_page)["Comment Guichet utilise FranceConnect"]
    assert help_url == reverse("identity:franceconnect_help")
    help_page = client.get(help_url)
    assert "<h1>Qu'est-ce que FranceConnect ?</h1>" in text(help_page)
    assert "S’identifier avec" in text(help_page)  # the button, to go on from there


def test_logout_while_franceconnect_is_down_still_ends_guichets_session_and_says_so(client, fake):
    AccountFactory(insured_person=renaldo())
    come_back(client, fake)
    cache.delete(f"fc:discovery:{DISCOVERY}")  # fetched again, and FranceConnect is down
    fake.failures["discovery"] = httpx.ConnectError("refusé")
    response = client.post(reverse("identity:logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("identity:logout")
    assert "fermez votre navigateur pour terminer aussi votre session FranceConnect" in text(
        response
    )
    assert "_auth_user_id" not in client.session
    assert failures("unavailable") == 1


def test_the_button_is_rate_limited_per_address_like_the_login_form(client, fake, settings):
    settings.GUICHET_LOGIN_RATE_PER_IP = "2/m"
    assert client.post(START).status_code == client.post(START).status_code == 302
    response = client.post(START)
    assert response.status_code == 429
    assert "Trop de tentatives ont été faites depuis votre connexion internet." in text(response)
    assert FranceConnectState.objects.count() == 2
    assert failures("too_many") == 1
