"""Writes of the payments app: imports from the fund's systems, the member's downloads of the
payments to forward, the fund systems' tokens."""

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from guichet.core.actors import Actor
from guichet.core.services import record_audit
from guichet.insured.models import InsuredPerson
from guichet.payments import feeds
from guichet.payments.enums import (
    COPAYMENT_TRANSITIONS,
    CopaymentStatus,
    ImportStatus,
    Transmission,
)
from guichet.payments.feeds.base import Report
from guichet.payments.ledger import lock_ledger
from guichet.payments.models import (
    Copayment,
    CopaymentExemption,
    FeedClient,
    ImportBatch,
    Parameter,
    Payment,
)
from guichet.payments.parameters import DEFAULTS, format_number

TOKEN_BYTES = 32


def import_feed(
    *,
    feed: str,
    stream: Iterable[bytes],
    source: str,
    actor: Actor,
    client: FeedClient | None = None,
) -> Report:
    """Apply one JSON Lines file whole, or refuse it whole; either way keep the batch and its
    report, and journal it. Not atomic itself: the file's transaction must be rolled back while
    the batch that says why is kept."""
    report, sha256, seconds = feeds.run(feed=feed, stream=stream)
    with transaction.atomic():
        batch = ImportBatch.objects.create(
            feed=feed,
            source=source[:200],
            client=client,
            content_sha256=sha256,
            status=ImportStatus.APPLIED if report.applied else ImportStatus.REJECTED,
            line_count=report.lines,
            created_count=report.created,
            updated_count=report.updated,
            unchanged_count=report.unchanged,
            error_count=report.error_count,
            errors=[error.as_dict() for error in report.errors],
            seconds=seconds,
        )
        record_audit(
            actor=actor,
            action=f"payments.feed_{batch.status}",
            target=batch,
            feed=feed,
            lines=report.lines,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            errors=report.error_count,
        )
    report.batch_id = batch.pk
    return report


@transaction.atomic
def create_feed_client(*, name: str, actor: Actor) -> tuple[FeedClient, str]:
    """A new token for a system of the fund; the token is shown once, only its hash is kept."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    client, _ = FeedClient.objects.update_or_create(
        name=name,
        defaults={
            "token_prefix": token[:8],
            "token_hash": hash_token(token),
            "revoked_at": None,
            "last_used_at": None,
        },
    )
    record_audit(actor=actor, action="payments.feed_client_token", target=client, name=name)
    return client, token


@transaction.atomic
def revoke_feed_client(*, client: FeedClient, actor: Actor) -> FeedClient:
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    record_audit(actor=actor, action="payments.feed_client_revoked", target=client)
    return client


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_client_for(*, token: str) -> FeedClient | None:
    """The active client whose token this is; stamps its last use."""
    client = FeedClient.objects.filter(
        token_hash=hash_token(token), revoked_at__isnull=True
    ).first()
    if client is not None:
        FeedClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client


@transaction.atomic
def mark_downloaded_for_complementary(
    *, member: InsuredPerson, payment_ids: list[int], actor: Actor
) -> list[Payment]:
    """The member downloaded these décomptes to send them to their complementary insurer."""
    payments = list(
        Payment.objects.visible_to(member)
        .select_for_update()
        .filter(
            pk__in=payment_ids, transmission__in=[Transmission.TO_FORWARD, Transmission.DOWNLOADED]
        )
        .order_by("-paid_on", "-pk")
    )
    fresh = [p.pk for p in payments if p.transmission == Transmission.TO_FORWARD]
    if fresh:
        Payment.objects.filter(pk__in=fresh).update(transmission=Transmission.DOWNLOADED)
        for payment in payments:
            if payment.pk in fresh:
                payment.transmission = Transmission.DOWNLOADED
    record_audit(
        actor=actor,
        action="payments.downloaded_for_complementary",
        person_id=member.pk,
        payments=[p.pk for p in payments],
    )
    return payments


@transaction.atomic
def hold_transmission(*, beneficiary_id: int, since: dt.date, actor: Actor) -> int:
    """Automatic transmission is blocked for this person (two complementary insurers): their
    payments since `since` were not received by an insurer, the member must send them."""
    held = Payment.objects.filter(
        beneficiary_id=beneficiary_id, paid_on__gte=since, transmission=Transmission.SENT
    ).update(transmission=Transmission.TO_FORWARD)
    if held:
        record_audit(
            actor=actor,
            action="payments.transmission_held",
            person_id=beneficiary_id,
            since=since.isoformat(),
            payments=held,
        )
    return held


@transaction.atomic
def record_copayment_exemption(
    *, person: InsuredPerson, reason: str, start_on, end_on, actor: Actor
) -> CopaymentExemption:
    """A period without PF nor franchises beyond age, CSS and AME (a pregnancy from the 6th month
    to 12 days after the birth, a victim of terrorism)."""
    exemption = CopaymentExemption.objects.create(
        person=person, reason=reason, start_on=start_on, end_on=end_on
    )
    record_audit(
        actor=actor,
        action="payments.copayment_exemption",
        person_id=person.pk,
        target=exemption,
        reason=reason,
    )
    return exemption


# --- The deferred-debit ledger: copayments claimed by payment notices (ADR 0073) ---------------


class CopaymentNotClaimable(Exception):
    """A copayment is no longer where the transition starts (recovered or claimed meanwhile)."""


def _move_copayments(
    *, copayment_ids: list[int], to: str, actor: Actor, notice: str, **changes
) -> list[Copayment]:
    """Move every copayment to `to` along COPAYMENT_TRANSITIONS, all or none, journaled; those
    leaving CLAIMED must be claimed by `notice`."""
    sources = [s for s, targets in COPAYMENT_TRANSITIONS.items() if to in targets]
    rows = Copayment.objects.select_for_update().filter(pk__in=copayment_ids, status__in=sources)
    if to != CopaymentStatus.CLAIMED:
        rows = rows.filter(status=CopaymentStatus.CLAIMED, notice_reference=notice)
    copayments = list(rows.order_by("pk"))
    if len(copayments) != len(set(copayment_ids)):
        raise CopaymentNotClaimable(
            f"{len(set(copayment_ids)) - len(copayments)} copayment(s) cannot become {to}"
        )
    if not copayments:
        return []
    Copayment.objects.filter(pk__in=[c.pk for c in copayments]).update(status=to, **changes)
    for copayment in copayments:
        copayment.status = to
        for name, value in changes.items():
            setattr(copayment, name, value)
    record_audit(
        actor=actor,
        action=f"copayment.{to}",
        person_id=copayments[0].member_id,
        notice=notice,
        copayments=[c.external_id for c in copayments],
        amount=str(sum((c.amount for c in copayments), Decimal("0.00"))),
    )
    return copayments


@transaction.atomic
def claim_copayments(
    *, copayment_ids: list[int], notice_reference: str, actor: Actor
) -> list[Copayment]:
    """A payment notice asks for these deferred copayments: no later payment recovers them."""
    lock_ledger()
    return _move_copayments(
        copayment_ids=copayment_ids,
        to=CopaymentStatus.CLAIMED,
        actor=actor,
        notice=notice_reference,
        notice_reference=notice_reference,
    )


@transaction.atomic
def release_copayments(
    *, copayment_ids: list[int], notice_reference: str, actor: Actor
) -> list[Copayment]:
    """The notice that claimed them is cancelled: later payments may recover them again."""
    return _move_copayments(
        copayment_ids=copayment_ids,
        to=CopaymentStatus.DEFERRED,
        actor=actor,
        notice=notice_reference,
        notice_reference="",
    )


@transaction.atomic
def settle_copayments_by_notice(
    *, copayment_ids: list[int], notice_reference: str, paid_on: dt.date, actor: Actor
) -> list[Copayment]:
    """The member's payments of the notice, posted by the accounting run, cover them."""
    return _move_copayments(
        copayment_ids=copayment_ids,
        to=CopaymentStatus.PAID_BY_NOTICE,
        actor=actor,
        notice=notice_reference,
        settled_on=paid_on,
    )


# --- The dated parameter tables (ADR 0042), edited by a superviseur in the back office ---------

PARAMETER_EDITABLE_FIELDS = ("valid_to", "value", "label", "source")
ONE_DAY = dt.timedelta(days=1)


def parameter_names() -> list[tuple[str, str]]:
    """(name, label) of every rule the liquidation reads, for a choice."""
    labels = {name: label for name, _, _, _, label, _ in DEFAULTS}
    labels.update(Parameter.objects.values_list("name", "label"))
    return sorted(labels.items(), key=lambda item: item[1])


def ensure_shipped_parameters() -> int:
    """Write the shipped rows (DEFAULTS) of every rule that has none, as migration 0002 did: the
    demo loads them again after a database was emptied. A rule with rows is left as it is."""
    named = set(Parameter.objects.values_list("name", flat=True).distinct())
    rows = [
        Parameter(name=name, valid_from=start, valid_to=end, value=Decimal(value), label=label,
                  source=source)
        for name, start, end, value, label, source in DEFAULTS
        if name not in named
    ]  # fmt: skip
    Parameter.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def add_parameter(
    *,
    name: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    value: Decimal,
    label: str,
    source: str,
    actor: Actor,
) -> Parameter:
    """A new dated value of a rule. A new value without an end ends the one in force the day
    before (the usual decree: "from 1 January, 2 €"); any other overlap is refused, and so is a
    gap, which the rules could not fill. Each row written goes to the journal (its history)."""
    if name not in dict(parameter_names()):
        raise ValidationError({"name": "Choisissez un paramètre de la liste."})
    _check_parameter(valid_from, valid_to, value)
    rows = list(Parameter.objects.select_for_update().filter(name=name).order_by("valid_from"))
    ended = next(
        (r for r in rows if valid_to is None and r.valid_to is None and r.valid_from < valid_from),
        None,
    )
    ended_to = valid_from - ONE_DAY
    _check_no_overlap(
        valid_from,
        valid_to,
        [(r.valid_from, ended_to if r is ended else r.valid_to) for r in rows],
    )
    if ended is not None:
        _save_parameter(ended, {"valid_to": ended_to}, actor)
    row = Parameter(name=name, valid_from=valid_from, valid_to=valid_to, value=value,
                    label=label or dict(parameter_names())[name], source=source)  # fmt: skip
    row.full_clean()
    row.save()
    record_audit(
        actor=actor,
        action="reference.parameter.added",
        target=row,
        changes={
            field: [None, _journal_value(getattr(row, field))]
            for field in ("name", "valid_from", *PARAMETER_EDITABLE_FIELDS)
        },
    )
    return row


@transaction.atomic
def update_parameter(*, row: Parameter, actor: Actor, **fields) -> Parameter:
    """Correct a row: its end, value, label or source, with the same checks as a new row."""
    unknown = set(fields) - set(PARAMETER_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    row = Parameter.objects.select_for_update().get(pk=row.pk)
    valid_to = fields.get("valid_to", row.valid_to)
    _check_parameter(row.valid_from, valid_to, fields.get("value", row.value))
    others = Parameter.objects.filter(name=row.name).exclude(pk=row.pk)
    _check_no_overlap(row.valid_from, valid_to, list(others.values_list("valid_from", "valid_to")))
    _save_parameter(row, fields, actor)
    return row


def _check_parameter(valid_from: dt.date, valid_to: dt.date | None, value: Decimal) -> None:
    errors = {}
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = "La fin de la période doit être après son début."
    if value < 0:
        errors["value"] = "Une valeur ne peut pas être négative."
    if errors:
        raise ValidationError(errors)


def _check_no_overlap(
    start: dt.date, end: dt.date | None, periods: list[tuple[dt.date, dt.date | None]]
) -> None:
    for other_start, other_end in periods:
        if start <= (other_end or dt.date.max) and other_start <= (end or dt.date.max):
            until = f"au {other_end:%d/%m/%Y}" if other_end else "sans date de fin"
            raise ValidationError(
                {"valid_from": f"Cette période chevauche celle du {other_start:%d/%m/%Y} {until}."}
            )


def _save_parameter(row: Parameter, fields: dict, actor: Actor) -> None:
    changes = {
        name: [_journal_value(getattr(row, name)), _journal_value(value)]
        for name, value in fields.items()
        if getattr(row, name) != value
    }
    if not changes:
        return
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save(update_fields=list(fields))
    record_audit(actor=actor, action="reference.parameter.changed", target=row, changes=changes)


def _journal_value(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, Decimal):
        return format_number(value)
    return str(value)
