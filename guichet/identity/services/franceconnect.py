"""FranceConnect's use cases: a round trip's state, logging a member in, creating their account.

FranceConnect is the proof of identity: a member it identifies logs in without the e-mailed
code, and one without an account creates it without the RIB step (docs/adr/0031).
"""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from guichet.core.actors import Actor
from guichet.core.services import record_audit
from guichet.identity.enums import (
    AccountKind,
    AccountStatus,
    ChallengePurpose,
    FranceConnectPurpose,
)
from guichet.identity.franceconnect.pivot import PivotIdentity, find_persons
from guichet.identity.models import Account, EmailChallenge, FranceConnectState
from guichet.identity.services.accounts import (
    EMAIL_TAKEN,
    CreationRefused,
    check_creation_eligibility,
)
from guichet.identity.services.login import complete_login, send_email_challenge
from guichet.insured import selectors as insured_selectors
from guichet.insured import services as insured_services
from guichet.insured.models import InsuredPerson
from guichet.messaging.services import queue_email


def begin_round_trip(
    *, purpose: FranceConnectPurpose, actor: Actor, next_url: str = ""
) -> FranceConnectState:
    """A new state (and, to log in, a nonce): 64 hex characters each, from the system's CSPRNG."""
    row = FranceConnectState.objects.create(
        state=secrets.token_hex(32),
        nonce=secrets.token_hex(32) if purpose == FranceConnectPurpose.LOGIN else "",
        purpose=purpose,
        next_url=next_url[:300],
    )
    record_audit(actor=actor, action=f"franceconnect.{purpose}_started", target=row)
    return row


def use_state(
    *, state: str, purpose: FranceConnectPurpose, now: dt.datetime | None = None
) -> FranceConnectState | None:
    """The round trip this state opened, once: a second use, an expired or unknown state is None."""
    now = now or timezone.now()
    used = FranceConnectState.objects.filter(
        state=state,
        purpose=purpose,
        used_at__isnull=True,
        created_at__gt=now - FranceConnectState.STATE_TTL,
    ).update(used_at=now)  # one conditional UPDATE: of two callbacks racing, one wins
    return FranceConnectState.objects.filter(state=state).first() if used else None


def finish_logout(*, state: str, actor: Actor) -> bool:
    """FranceConnect came back from its end-session with our state: journal the end of its session."""
    row = use_state(state=state, purpose=FranceConnectPurpose.LOGOUT) if state else None
    if row is None:
        record_failure(actor=actor, failure="state", detail="logout state unknown, used or expired")
        return False
    record_audit(actor=actor, action="franceconnect.logout_finished", target=row)
    return True


def record_failure(
    *, actor: Actor, failure: str, detail: str = "", person_id: int | None = None
) -> None:
    """Journal a round trip that stopped, and why (never the tokens, never the NIR).

    The detail may quote what the browser brought back (`error_description`): only its printable
    characters are kept, since PostgreSQL's jsonb cannot hold a NUL."""
    record_audit(
        actor=actor,
        action="franceconnect.failed",
        person_id=person_id,
        reason=str(failure),
        detail="".join(c for c in detail if c.isprintable())[:200],
    )


class MatchKind:
    ACCOUNT = "account"  # one person, with an active account: log in
    CREATE = "create"  # one person, who may create an account
    REFUSED = "refused"  # one person, who may not (AME, rights closed, dependant)
    NONE = "none"
    SEVERAL = "several"


@dataclass(frozen=True)
class Match:
    kind: str
    person: InsuredPerson | None = None
    account: Account | None = None
    refusal: CreationRefused | None = None


def match_identity(*, identity: PivotIdentity, actor: Actor) -> Match:
    """Who the identité pivot is in the registry, and what they may do; journaled either way."""
    persons = find_persons(identity)
    if len(persons) != 1:
        kind = MatchKind.NONE if not persons else MatchKind.SEVERAL
        record_audit(actor=actor, action=f"franceconnect.no_match.{kind}", candidates=len(persons))
        return Match(kind)
    person = persons[0]
    account = (
        Account.objects.filter(kind=AccountKind.MEMBER, insured_person=person)
        .exclude(status=AccountStatus.CLOSED)
        .first()
    )
    if account is not None and account.status == AccountStatus.ACTIVE:
        return Match(MatchKind.ACCOUNT, person=person, account=account)
    try:
        check_creation_eligibility(person=person)
    except CreationRefused as refusal:
        record_audit(
            actor=actor,
            action=f"franceconnect.signup_refused.{refusal.reason}",
            person_id=person.pk,
        )
        return Match(MatchKind.REFUSED, person=person, refusal=refusal)
    record_audit(actor=actor, action="franceconnect.signup_offered", person_id=person.pk)
    return Match(MatchKind.CREATE, person=person)


def log_in(*, account: Account, actor: Actor) -> Account:
    """FranceConnect identified the member: no personal code, no e-mailed code."""
    return complete_login(account=account, actor=actor, method="franceconnect")


@dataclass(frozen=True)
class CreatedAccount:
    account: Account
    # The code sent to the address, which the member types on `identity:change_email_confirm`.
    email_challenge: EmailChallenge


@transaction.atomic
def create_account(
    *, person: InsuredPerson, email: str, personal_code: str = "", actor: Actor
) -> CreatedAccount:
    """Create the member's account, active at once: FranceConnect proved who they are.

    Not their e-mail, even the one FranceConnect gave (protocols.md §1.3: it is not a verified
    claim): the address stays unproven until the member types the code sent to it, the same
    code and page as an e-mail change. The personal code is optional: without it, the member
    logs in with FranceConnect, or chooses one later in « Mes informations ».
    """
    person = insured_selectors.person_for_update(person_id=person.pk)
    check_creation_eligibility(person=person)
    email = email.strip().lower()
    if not insured_selectors.email_is_free(email=email, except_person=person):
        raise CreationRefused("email_taken", EMAIL_TAKEN)
    account = Account.objects.select_for_update(of=("self",)).filter(insured_person=person).first()
    if account is None:
        account = Account(kind=AccountKind.MEMBER, identifier=person.nir, insured_person=person)
        account.save()
        record_audit(
            actor=actor,
            action="account.created",
            person_id=person.pk,
            target=account,
            method="franceconnect",
        )
    elif account.status == AccountStatus.CLOSED:
        account.closed_at = None
        account.save(update_fields=["closed_at"])
        account.transition(to=AccountStatus.PROVISIONAL, actor=actor, reason="created again")
    if personal_code:
        account.set_password(personal_code)
        account.code_changed_at = timezone.now()
    else:
        account.set_unusable_password()
    account.provisional_code = ""
    account.provisional_code_expires_at = None
    account.save(
        update_fields=[
            "password",
            "code_changed_at",
            "provisional_code",
            "provisional_code_expires_at",
        ]
    )
    account.transition(to=AccountStatus.ACTIVE, actor=actor, reason="franceconnect")
    insured_services.set_email(person=person, email=email, verified=False, actor=actor)
    queue_email(
        to=email,
        template="account_created_franceconnect",
        context={"person": person, "with_code": bool(personal_code)},
        person_id=person.pk,
    )
    challenge = send_email_challenge(
        account=account, purpose=ChallengePurpose.EMAIL_CHANGE, actor=actor, email=email
    )
    return CreatedAccount(account=account, email_challenge=challenge)


def purge_stale_round_trips(*, now: dt.datetime | None = None) -> int:
    """Housekeeping: a state is useless after 10 minutes; its row goes after a day."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=1)
    deleted, _ = FranceConnectState.objects.filter(created_at__lt=cutoff).delete()
    return deleted
