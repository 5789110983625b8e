"""Writes of the payments app: imports from the fund's systems, the member's downloads of the
payments to forward, the fund systems' tokens."""

import hashlib
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from guichet.core.actors import Actor
from guichet.core.services import record_audit
from guichet.insured.models import InsuredPerson
from guichet.payments import feeds
from guichet.payments.enums import ImportStatus, Transmission
from guichet.payments.feeds.base import Report
from guichet.payments.models import CopaymentExemption, FeedClient, ImportBatch, Payment

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
