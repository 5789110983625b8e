import datetime as dt
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from guichet.core.actors import Actor
from guichet.core.models import AuditEvent
from guichet.identity import services
from guichet.identity.enums import AccountStatus, ChallengePurpose
from guichet.identity.models import Account, EmailChallenge, TrustedDevice
from guichet.identity.services import LoginStep
from guichet.identity.services import login as login_services
from guichet.identity.tests.factories import CODE, AccountFactory
from guichet.insured.tests.factories import InsuredPersonFactory
from guichet.messaging.models import OutboundEmail

pytestmark = pytest.mark.django_db
ACTOR = Actor.anonymous("203.0.113.7")


def login(account, code=CODE, device=""):
    return services.check_member_credentials(
        nir13=account.identifier, code=code, device_token=device, actor=ACTOR
    )


def last_code(email: str, digits: int) -> str:
    body = OutboundEmail.objects.filter(to=email).latest("created_at").body
    return re.search(rf"\b(\d{{{digits}}})\b", body).group(1)


def actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_right_code_on_unknown_device_emails_a_six_digit_code():
    account = AccountFactory()
    result = login(account)
    assert result.step == LoginStep.EMAIL_CODE
    email = OutboundEmail.objects.get(to=account.insured_person.email)
    assert email.subject == "Votre code de sécurité pour vous connecter"
    assert re.search(r"\b\d{6}\b", email.body)
    assert EmailChallenge.objects.get(account=account).attempts_left == 3


def test_right_code_on_trusted_device_logs_in_directly():
    account = AccountFactory()
    token = services.trust_device(account=account, label="Chrome sur Linux", actor=ACTOR)
    assert login(account, device=token).step == LoginStep.DONE


def test_device_trusted_more_than_six_months_ago_asks_the_email_code_again():
    account = AccountFactory()
    token = services.trust_device(account=account, label="Chrome sur Linux", actor=ACTOR)
    TrustedDevice.objects.update(verified_at=timezone.now() - dt.timedelta(days=184))
    assert login(account, device=token).step == LoginStep.EMAIL_CODE


def test_wrong_code_says_how_many_tries_are_left():
    account = AccountFactory()
    result = login(account, code="Wrong-code-1")
    assert result.step == LoginStep.INVALID
    assert result.attempts_left == 4
    assert "login.failed" in actions()


def test_five_wrong_codes_lock_the_account_for_15_minutes_and_warn_by_email():
    account = AccountFactory()
    for _ in range(4):
        login(account, code="Wrong-code-1")
    result = login(account, code="Wrong-code-1")
    assert result.step == LoginStep.LOCKED
    account.refresh_from_db()
    assert (
        dt.timedelta(minutes=14) < account.locked_until - timezone.now() <= dt.timedelta(minutes=15)
    )
    assert "account.locked" in actions()
    assert OutboundEmail.objects.filter(
        template="account_locked", to=account.insured_person.email
    ).exists()


def test_locked_account_refuses_even_the_right_code_until_the_lock_ends():
    account = AccountFactory(locked_until=timezone.now() + dt.timedelta(minutes=5), lock_count=1)
    assert login(account).step == LoginStep.LOCKED
    Account.objects.filter(pk=account.pk).update(
        locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert login(account).step == LoginStep.EMAIL_CODE


def test_each_new_lock_lasts_longer_up_to_a_day():
    assert services.lock_duration(1) == dt.timedelta(minutes=15)
    assert services.lock_duration(2) == dt.timedelta(hours=1)
    assert services.lock_duration(3) == dt.timedelta(hours=4)
    assert services.lock_duration(9) == dt.timedelta(hours=24)


def test_unknown_nir_fails_and_locks_like_a_real_account():
    results = [
        services.check_member_credentials(
            nir13="1850175123456", code="x", device_token="", actor=ACTOR
        )
        for _ in range(5)
    ]
    assert [r.step for r in results] == [LoginStep.INVALID] * 4 + [LoginStep.LOCKED]
    assert [r.attempts_left for r in results[:4]] == [4, 3, 2, 1]


def test_closed_account_cannot_log_in():
    account = AccountFactory(status=AccountStatus.CLOSED)
    assert login(account).step == LoginStep.INVALID


def test_provisional_code_leads_to_choosing_a_personal_code():
    account = AccountFactory(provisional=True)
    account.provisional_code = make_password("4821")
    account.provisional_code_expires_at = timezone.now() + dt.timedelta(hours=1)
    account.save()
    assert login(account, code="4821").step == LoginStep.CHOOSE_CODE


def test_expired_provisional_code_is_refused():
    account = AccountFactory(provisional=True)
    account.provisional_code = make_password("4821")
    account.provisional_code_expires_at = timezone.now() - dt.timedelta(minutes=1)
    account.save()
    assert login(account, code="4821").step == LoginStep.INVALID


def test_email_code_can_be_tried_three_times_only():
    account = AccountFactory()
    challenge = login(account).challenge
    first = services.verify_email_challenge(challenge_id=challenge.pk, code="000000", actor=ACTOR)
    second = services.verify_email_challenge(challenge_id=challenge.pk, code="000001", actor=ACTOR)
    third = services.verify_email_challenge(challenge_id=challenge.pk, code="000002", actor=ACTOR)
    assert (first.attempts_left, second.attempts_left, third.expired) == (2, 1, True)
    right = last_code(account.insured_person.email, 6)
    assert not services.verify_email_challenge(
        challenge_id=challenge.pk, code=right, actor=ACTOR
    ).ok


def test_right_email_code_is_accepted_once():
    account = AccountFactory()
    challenge = login(account).challenge
    code = last_code(account.insured_person.email, 6)
    assert services.verify_email_challenge(challenge_id=challenge.pk, code=code, actor=ACTOR).ok
    assert not services.verify_email_challenge(challenge_id=challenge.pk, code=code, actor=ACTOR).ok


def test_email_code_expires_after_15_minutes():
    account = AccountFactory()
    challenge = login(account).challenge
    code = last_code(account.insured_person.email, 6)
    EmailChallenge.objects.filter(pk=challenge.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    result = services.verify_email_challenge(challenge_id=challenge.pk, code=code, actor=ACTOR)
    assert result.expired and not result.ok


def test_a_new_email_code_cancels_the_previous_one():
    account = AccountFactory()
    first = login(account).challenge
    services.send_email_challenge(account=account, purpose=ChallengePurpose.LOGIN, actor=ACTOR)
    first.refresh_from_db()
    assert first.consumed_at is not None


def test_choosing_a_personal_code_activates_the_account_and_proves_the_email():
    account = AccountFactory(provisional=True, insured_person__email_verified_at=None)
    services.choose_personal_code(account=account, code="Nouveau-Code-7", actor=ACTOR)
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE
    assert account.check_password("Nouveau-Code-7")
    assert account.provisional_code == ""
    assert account.insured_person.email_verified_at is not None
    assert {"account.active", "account.code_chosen"} <= set(actions())


def test_code_reset_emails_a_provisional_code_valid_30_minutes():
    account = AccountFactory()
    person = account.insured_person
    assert services.request_code_reset(nir13=person.nir, birth_date=person.birth_date, actor=ACTOR)
    account.refresh_from_db()
    assert (
        dt.timedelta(minutes=29)
        < account.provisional_code_expires_at - timezone.now()
        <= dt.timedelta(minutes=30)
    )
    code = last_code(person.email, 4)
    assert login(account, code=code).step == LoginStep.CHOOSE_CODE
    assert login(account).step == LoginStep.EMAIL_CODE  # the personal code still works meanwhile


def test_code_reset_with_a_wrong_birth_date_sends_nothing():
    account = AccountFactory()
    person = account.insured_person
    assert not services.request_code_reset(
        nir13=person.nir, birth_date=dt.date(1900, 1, 1), actor=ACTOR
    )
    assert not OutboundEmail.objects.exists()


def test_code_reset_is_limited_to_three_a_day():
    person = AccountFactory().insured_person
    sent = [
        services.request_code_reset(nir13=person.nir, birth_date=person.birth_date, actor=ACTOR)
        for _ in range(4)
    ]
    assert sent == [True, True, True, False]


def test_account_creation_makes_a_provisional_account_and_emails_a_code_valid_72_hours():
    person = InsuredPersonFactory(email="")
    account = services.create_member_account(
        person=person, email="Sarah.Lambert@Example.org", actor=ACTOR
    )
    assert account.status == AccountStatus.PROVISIONAL
    assert not account.has_usable_password()
    person.refresh_from_db()
    assert person.email == "sarah.lambert@example.org"
    assert person.email_verified_at is None
    assert (
        dt.timedelta(hours=71)
        < account.provisional_code_expires_at - timezone.now()
        <= dt.timedelta(hours=72)
    )
    assert login(account, code=last_code(person.email, 4)).step == LoginStep.CHOOSE_CODE


@pytest.mark.parametrize(
    ("person_kwargs", "reason"),
    [({"ame": True}, "ame"), ({"rights_closed": True}, "rights_closed")],
)
def test_account_creation_is_refused_with_its_reason(person_kwargs, reason):
    person = InsuredPersonFactory(**person_kwargs)
    with pytest.raises(services.CreationRefused) as error:
        services.create_member_account(person=person, email="new@example.org", actor=ACTOR)
    assert error.value.reason == reason
    assert not Account.objects.exists()


def test_account_creation_is_refused_to_a_dependent_and_when_an_account_exists():
    holder = InsuredPersonFactory(with_dependents=1)
    child = holder.dependents.get().person
    with pytest.raises(services.CreationRefused) as error:
        services.check_creation_eligibility(person=child)
    assert error.value.reason == "dependent"
    account = AccountFactory()
    with pytest.raises(services.CreationRefused) as error:
        services.check_creation_eligibility(person=account.insured_person)
    assert error.value.reason == "exists"


def test_one_email_address_serves_one_account_only():
    AccountFactory(insured_person__email="taken@example.org")
    with pytest.raises(services.CreationRefused) as error:
        services.create_member_account(
            person=InsuredPersonFactory(), email="TAKEN@example.org", actor=ACTOR
        )
    assert error.value.reason == "email_taken"


def test_a_closed_account_can_be_created_again():
    account = AccountFactory()
    services.close_account(account=account, code=CODE, actor=ACTOR)
    again = services.create_member_account(
        person=account.insured_person, email="back@example.org", actor=ACTOR
    )
    assert again.pk == account.pk
    assert again.status == AccountStatus.PROVISIONAL


def test_iban_suffix_matches_the_last_seven_characters_only():
    person = InsuredPersonFactory(iban="FR7630006000011234567890189")
    assert services.iban_suffix_matches(person=person, suffix="7890189")
    assert services.iban_suffix_matches(person=person, suffix="789 0189")
    assert not services.iban_suffix_matches(person=person, suffix="7890188")
    assert not services.iban_suffix_matches(person=person, suffix="890189")


def test_closing_the_account_needs_the_code_and_forgets_the_devices():
    account = AccountFactory()
    services.trust_device(account=account, label="x", actor=ACTOR)
    with pytest.raises(services.IdentityError):
        services.close_account(account=account, code="Wrong-code-1", actor=ACTOR)
    services.close_account(account=account, code=CODE, actor=ACTOR)
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSED
    assert not account.trusted_devices.exists()
    assert OutboundEmail.objects.filter(template="account_closed").exists()


def test_changing_the_personal_code_checks_the_current_one_and_warns_by_email():
    account = AccountFactory()
    with pytest.raises(services.IdentityError):
        services.change_personal_code(
            account=account, current="Wrong-code-1", new="Autre-Code-8", actor=ACTOR
        )
    services.change_personal_code(account=account, current=CODE, new="Autre-Code-8", actor=ACTOR)
    account.refresh_from_db()
    assert account.check_password("Autre-Code-8")
    assert OutboundEmail.objects.filter(template="code_changed").exists()


def test_email_change_takes_effect_with_the_code_sent_to_the_new_address():
    account = AccountFactory(insured_person__email="old@example.org")
    challenge = services.send_email_challenge(
        account=account, purpose=ChallengePurpose.EMAIL_CHANGE, actor=ACTOR, email="new@example.org"
    )
    code = last_code("new@example.org", 6)
    assert services.confirm_email_change(
        account=account, challenge_id=challenge.pk, code=code, actor=ACTOR
    ).ok
    account.insured_person.refresh_from_db()
    assert account.insured_person.email == "new@example.org"
    assert OutboundEmail.objects.filter(to="old@example.org", template="email_changed").exists()


def test_complete_login_keeps_the_previous_login_for_the_home_page():
    before = timezone.now() - dt.timedelta(days=3)
    account = AccountFactory(last_login=before)
    account = services.complete_login(account=account, actor=ACTOR, method="code")
    assert account.previous_login == before
    assert account.last_login > before


def test_a_provisional_code_serves_once():
    account = AccountFactory(provisional=True)
    account.provisional_code = make_password("4821")
    account.provisional_code_expires_at = timezone.now() + dt.timedelta(hours=1)
    account.save()
    assert login(account, code="4821").step == LoginStep.CHOOSE_CODE
    assert login(account, code="4821").step == LoginStep.INVALID


def test_code_reset_needs_an_address_proven_by_a_first_login():
    account = AccountFactory(provisional=True, insured_person__email_verified_at=None)
    person = account.insured_person
    assert not services.request_code_reset(
        nir13=person.nir, birth_date=person.birth_date, actor=ACTOR
    )
    assert not OutboundEmail.objects.exists()


def test_an_account_never_activated_can_be_created_again_with_a_new_code():
    person = InsuredPersonFactory(email="")
    first = services.create_member_account(person=person, email="lost@example.org", actor=ACTOR)
    again = services.create_member_account(person=person, email="found@example.org", actor=ACTOR)
    assert again.pk == first.pk
    assert again.status == AccountStatus.PROVISIONAL
    assert login(again, code=last_code("found@example.org", 4)).step == LoginStep.CHOOSE_CODE


def test_locks_of_an_unknown_nir_grow_like_real_ones():
    now = timezone.now()
    nir13 = "1850175123456"
    for _ in range(5):
        services.check_member_credentials(nir13=nir13, code="x", device_token="", actor=ACTOR)
    from django.core.cache import cache

    key = login_services._unknown_key(nir13)
    _failures, locked_until, lock_count = cache.get(key)
    assert lock_count == 1 and locked_until - now <= dt.timedelta(minutes=15, seconds=5)
    cache.set(key, (0, now - dt.timedelta(seconds=1), 1))
    for _ in range(5):
        result = services.check_member_credentials(
            nir13=nir13, code="x", device_token="", actor=ACTOR
        )
    assert result.step == LoginStep.LOCKED
    assert result.locked_until - now > dt.timedelta(minutes=59)


def test_use_of_a_trusted_device_is_stamped():
    account = AccountFactory()
    token = services.trust_device(account=account, label="Firefox sur Windows", actor=ACTOR)
    TrustedDevice.objects.update(last_used_at=timezone.now() - dt.timedelta(days=30))
    assert login(account, device=token).step == LoginStep.DONE
    assert timezone.now() - TrustedDevice.objects.get().last_used_at < dt.timedelta(minutes=1)


def test_stale_email_codes_are_purged_after_a_day():
    account = AccountFactory()
    old = services.send_email_challenge(
        account=account, purpose=ChallengePurpose.LOGIN, actor=ACTOR
    )
    EmailChallenge.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=2)
    )
    fresh = services.send_email_challenge(
        account=account, purpose=ChallengePurpose.LOGIN, actor=ACTOR
    )
    assert services.purge_stale_email_challenges() == 1
    assert list(EmailChallenge.objects.values_list("pk", flat=True)) == [fresh.pk]


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("unknown", "Mauvais-code-1"),
        ("locked", CODE),
        ("no_personal_code", "Mauvais-code-1"),
        ("no_provisional_code", "1234"),
        ("wrong_code", "Mauvais-code-1"),
        ("right_code", CODE),
    ],
)
def test_every_login_attempt_costs_exactly_one_hash_check(monkeypatch, case, code):
    """Whatever the account's state, the answer takes the same time: nothing to learn from it."""
    from django.contrib.auth.hashers import MD5PasswordHasher

    account = {
        "locked": lambda: AccountFactory(locked_until=timezone.now() + dt.timedelta(minutes=5)),
        "no_personal_code": lambda: AccountFactory(provisional=True),
    }.get(case, AccountFactory)()
    nir13 = "1850175123456" if case == "unknown" else account.identifier
    calls = []
    original = MD5PasswordHasher.verify
    monkeypatch.setattr(
        MD5PasswordHasher, "verify", lambda self, *a: calls.append(1) or original(self, *a)
    )
    services.check_member_credentials(nir13=nir13, code=code, device_token="", actor=ACTOR)
    assert len(calls) == 1
