"""Agents' login: password, TOTP, recovery codes, enrolment, lockout — and the fund's actions on
members' accounts (unlock, provisional code, closing, the member's unlock request)."""

import datetime as dt
import urllib.parse

import pyotp
import pytest
from django.utils import timezone

from guichet.core.actors import SYSTEM, Actor
from guichet.core.models import AuditEvent
from guichet.identity import services, totp
from guichet.identity.enums import AccountStatus, AgentRole
from guichet.identity.models import Account, RecoveryCode
from guichet.identity.services import AgentStep, IdentityError
from guichet.identity.tests.factories import AGENT_PASSWORD, CODE, AccountFactory, make_agent
from guichet.insured.tests.factories import FundFactory
from guichet.messaging.models import OutboundEmail
from guichet.workqueues.enums import ItemStatus
from guichet.workqueues.models import WorkItem

pytestmark = pytest.mark.django_db
ACTOR = Actor.anonymous("203.0.113.7")


def code_of(agent: Account, offset: int = 0) -> str:
    return pyotp.TOTP(agent.agent_profile.totp_secret).at(timezone.now().timestamp() + offset)


def check(agent: Account, password: str = AGENT_PASSWORD):
    return services.check_agent_credentials(
        identifier=agent.identifier.upper(), password=password, actor=ACTOR
    )


def test_the_right_password_asks_for_the_app_code_and_is_journaled():
    agent = make_agent()
    result = check(agent)
    assert result.step == AgentStep.SECOND_FACTOR
    assert AuditEvent.objects.filter(
        action="agent_login.password_checked", target_id=str(agent.pk)
    ).exists()


def test_an_agent_without_an_app_is_sent_to_enrol_it():
    assert check(make_agent(with_totp=False)).step == AgentStep.ENROL


def test_a_member_nir_never_logs_in_as_an_agent_nor_an_agent_as_a_member():
    member = AccountFactory()
    agent = make_agent()
    wrong = services.check_agent_credentials(
        identifier=member.identifier, password=CODE, actor=ACTOR
    )
    assert wrong.step == AgentStep.INVALID
    as_member = services.check_member_credentials(
        nir13=agent.identifier, code=AGENT_PASSWORD, device_token="", actor=ACTOR
    )
    assert as_member.step == services.LoginStep.INVALID


def test_five_wrong_passwords_lock_the_agent_and_the_journal_says_so():
    agent = make_agent()
    results = [check(agent, "wrong-password") for _ in range(5)]
    assert [r.attempts_left for r in results[:4]] == [4, 3, 2, 1]
    assert results[4].step == AgentStep.LOCKED
    agent.refresh_from_db()
    assert agent.is_locked()
    assert check(agent).step == AgentStep.LOCKED  # even the right password, while locked
    assert AuditEvent.objects.filter(action="account.locked", target_id=str(agent.pk)).count() == 1


def test_an_unknown_identifier_fails_and_locks_like_a_known_one():
    results = [
        services.check_agent_credentials(
            identifier="nobody@cpam.example", password="x", actor=ACTOR
        )
        for _ in range(5)
    ]
    assert [r.step for r in results] == [AgentStep.INVALID] * 4 + [AgentStep.LOCKED]
    assert results[0].attempts_left == 4


def test_the_app_code_lets_the_agent_in_once_only():
    agent = make_agent()
    code = code_of(agent)
    assert services.verify_second_factor(account=agent, code=code, actor=ACTOR).ok
    replay = services.verify_second_factor(account=agent, code=code, actor=ACTOR)
    assert not replay.ok and replay.attempts_left == 4


def test_wrong_app_codes_count_towards_the_lock():
    agent = make_agent()
    for _ in range(4):
        assert not services.verify_second_factor(account=agent, code="000000", actor=ACTOR).ok
    last = services.verify_second_factor(account=agent, code="000000", actor=ACTOR)
    assert last.locked_until is not None
    assert not services.verify_second_factor(account=agent, code=code_of(agent), actor=ACTOR).ok


def test_enrolment_needs_a_valid_code_then_gives_ten_recovery_codes_stored_hashed():
    agent = make_agent(with_totp=False)
    secret = services.start_totp_enrolment(account=agent, actor=ACTOR)
    assert services.start_totp_enrolment(account=agent, actor=ACTOR) == secret  # same enrolment
    with pytest.raises(IdentityError, match="ne correspond pas"):
        services.confirm_totp_enrolment(account=agent, code="123456", actor=ACTOR)
    enrolment = services.confirm_totp_enrolment(
        account=agent, code=pyotp.TOTP(secret).now(), actor=ACTOR
    )
    assert len(enrolment.recovery_codes) == 10
    stored = set(RecoveryCode.objects.filter(account=agent).values_list("code_hash", flat=True))
    assert not stored & set(enrolment.recovery_codes)
    agent.refresh_from_db()
    assert agent.agent_profile.has_totp
    assert AuditEvent.objects.filter(action="agent.totp_enrolled", target_id=str(agent.pk)).exists()


def test_a_recovery_code_serves_once_instead_of_the_app():
    agent = make_agent(with_totp=False)
    secret = services.start_totp_enrolment(account=agent, actor=ACTOR)
    codes = services.confirm_totp_enrolment(
        account=agent, code=pyotp.TOTP(secret).now(), actor=ACTOR
    ).recovery_codes
    first = services.verify_second_factor(account=agent, code=codes[0].upper(), actor=ACTOR)
    assert first.ok and first.recovery_codes_left == 9
    assert not services.verify_second_factor(account=agent, code=codes[0], actor=ACTOR).ok


def test_a_superviseur_resets_a_lost_app_and_the_agent_enrols_again():
    agent = make_agent()
    services.reset_second_factor(agent=agent, reason="téléphone perdu", actor=SYSTEM)
    agent.refresh_from_db()
    assert not agent.agent_profile.has_totp
    assert check(agent).step == AgentStep.ENROL
    event = AuditEvent.objects.get(action="agent.totp_reset")
    assert event.details["reason"] == "téléphone perdu"


def test_a_new_agent_gets_a_provisional_password_by_email_then_chooses_their_own():
    fund = FundFactory()
    agent = services.create_agent(
        fund=fund, role=AgentRole.CASE_WORKER, first_name="Julien", last_name="Roux",
        email="Julien.Roux@CPAM.example", actor=SYSTEM,
    )  # fmt: skip
    assert agent.identifier == "julien.roux@cpam.example"
    assert agent.status == AccountStatus.PROVISIONAL
    email = OutboundEmail.objects.get(to="julien.roux@cpam.example", template="agent_welcome")
    provisional = email.body.split("mot de passe provisoire : ")[1].split()[0]
    assert check(agent, provisional).step == AgentStep.CHOOSE_PASSWORD
    services.choose_agent_password(account=agent, password="Un-Mot-De-Passe-42", actor=SYSTEM)
    agent.refresh_from_db()
    assert agent.status == AccountStatus.ACTIVE
    assert check(agent, provisional).step == AgentStep.INVALID  # served once
    assert check(agent, "Un-Mot-De-Passe-42").step == AgentStep.ENROL
    with pytest.raises(IdentityError):
        services.create_agent(
            fund=fund, role=AgentRole.ADVISER, first_name="J", last_name="R",
            email="julien.roux@cpam.example", actor=SYSTEM,
        )  # fmt: skip


def test_totp_steps_either_side_of_now_are_accepted_but_not_further():
    secret = totp.new_secret()
    now = 1_800_000_000.0
    for offset, accepted in ((-30, True), (0, True), (30, True), (-90, False), (90, False)):
        code = pyotp.TOTP(secret).at(now + offset)
        assert (totp.matching_step(secret, code, after=None, now=now) is not None) is accepted


def test_the_qr_code_is_an_svg_data_uri():
    uri = totp.provisioning_uri(secret=totp.new_secret(), account_name="a@b.fr", issuer="Guichet")
    assert uri.startswith("otpauth://totp/")
    data = totp.qr_code_data_uri(uri)
    assert data.startswith("data:image/svg+xml;")
    assert "xmlns" in urllib.parse.unquote(data)  # an SVG file of its own, which browsers draw


# --- What the fund does for a member's account ---------------------------------------------------


def locked_member() -> Account:
    account = AccountFactory(locked_until=timezone.now() + dt.timedelta(hours=1), lock_count=2)
    services.request_unlock(
        nir13=account.identifier, birth_date=account.person.birth_date, actor=ACTOR
    )
    return account


def test_a_locked_member_asking_twice_makes_one_work_item():
    account = locked_member()
    services.request_unlock(
        nir13=account.identifier, birth_date=account.person.birth_date, actor=ACTOR
    )
    item = WorkItem.objects.get()
    assert (item.kind, item.person_id, item.fund_id) == (
        "account_unlock", account.insured_person_id, account.person.fund_id,
    )  # fmt: skip


def test_an_unlock_request_for_an_unlocked_or_unknown_account_makes_nothing():
    account = AccountFactory()
    assert not services.request_unlock(
        nir13=account.identifier, birth_date=account.person.birth_date, actor=ACTOR
    )
    assert not services.request_unlock(
        nir13="1741171270199", birth_date=dt.date(1974, 11, 22), actor=ACTOR
    )
    assert not WorkItem.objects.exists()
    assert AuditEvent.objects.filter(action="unlock_request.no_match").count() == 2


def test_unlocking_clears_the_lock_closes_the_request_journals_the_reason_and_emails():
    account = locked_member()
    agent = make_agent(fund=account.person.fund)
    actor = Actor("agent", str(agent.pk), "10.0.0.1")
    services.unlock_account(account=account, reason="appel, identité vérifiée", actor=actor)
    account.refresh_from_db()
    assert not account.is_locked() and account.lock_count == 0
    event = AuditEvent.objects.get(action="account.unlocked")
    assert (event.actor_kind, event.actor_id, event.person_id, event.ip) == (
        "agent", str(agent.pk), account.insured_person_id, "10.0.0.1",
    )  # fmt: skip
    assert event.details["reason"] == "appel, identité vérifiée"
    assert WorkItem.objects.get().status == ItemStatus.DONE
    assert OutboundEmail.objects.filter(
        to=account.person.email, subject="Votre compte a été débloqué"
    ).exists()


def test_a_new_provisional_code_is_emailed_and_opens_the_choice_of_a_code():
    account = AccountFactory()
    services.send_provisional_code(
        account=account, reason="code oublié, au téléphone", actor=SYSTEM
    )
    email = OutboundEmail.objects.get(template="provisional_code_by_fund")
    code = email.body.split("nouveau code provisoire : ")[1].split()[0]
    result = services.check_member_credentials(
        nir13=account.identifier, code=code, device_token="", actor=ACTOR
    )
    assert result.step == services.LoginStep.CHOOSE_CODE
    assert AuditEvent.objects.get(action="account.provisional_code_sent").details["reason"]


def test_no_provisional_code_without_an_email_address():
    account = AccountFactory(insured_person__email="")
    with pytest.raises(IdentityError, match="Aucune adresse e-mail"):
        services.send_provisional_code(account=account, reason="essai", actor=SYSTEM)


def test_the_fund_closes_an_account_with_a_reason_and_the_member_is_told():
    account = AccountFactory()
    services.close_account_by_fund(account=account, reason="décès signalé", actor=SYSTEM)
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSED
    event = AuditEvent.objects.get(action="account.closed")
    assert event.details["reason"] == "décès signalé"
    assert OutboundEmail.objects.filter(
        subject="Votre compte a été fermé par votre caisse"
    ).exists()
    with pytest.raises(IdentityError, match="déjà fermé"):
        services.close_account_by_fund(account=account, reason="encore", actor=SYSTEM)
