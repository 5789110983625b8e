"""Writes of the debts app: notices, and the payments made through the kiosk (ADR 0071).

Money is never lost nor doubled: a kiosk response is applied under a row lock on its
transaction, once, whatever the channel (automatic, manual, reconciliation) and however often it
comes; an accepted payment is held as "pending" on its notices until the accounting run posts
it; the database refuses a pending or posted amount above what a notice asks for.
"""

import datetime as dt
import json
import logging
import secrets
from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.core.actors import SYSTEM, Actor
from guichet.core.money import format_euros, to_euros
from guichet.core.services import record_audit
from guichet.debts import references, sips
from guichet.debts.enums import (
    DEBT_OVERPAYMENT,
    DEBT_PAYMENT_CHECK,
    Channel,
    NoticeDelivery,
    NoticeStatus,
    PaymentStatus,
)
from guichet.debts.models import Allocation, DebtPayment, PaymentNotice, PaymentNoticeLine
from guichet.insured.models import Fund, InsuredPerson
from guichet.payments import services as payment_services
from guichet.payments.enums import CopaymentStatus
from guichet.payments.ledger import lock_ledger

logger = logging.getLogger(__name__)
ZERO = Decimal("0.00")

# responseCode → the transaction's outcome (reference/protocols.md §2.6); "60" leaves it waiting.
OUTCOMES = {
    "00": PaymentStatus.ACCEPTED,
    "17": PaymentStatus.CANCELLED,
    "97": PaymentStatus.EXPIRED,
    **dict.fromkeys(["02", "05", "11", "14", "51", "54", "63", "75"], PaymentStatus.REFUSED),
}
PENDING_CODE = "60"


class DebtError(Exception):
    """A rule of paying debts refuses the request; the message is for the member, in French."""


class PaymentUnderWay(DebtError):
    pass


class UnknownTransaction(Exception):
    """A kiosk response names a transaction we never started."""


# --- notices ------------------------------------------------------------------------------------


@transaction.atomic
def issue_notice(
    *,
    member: InsuredPerson,
    amount: Decimal,
    issued_on: dt.date,
    actor: Actor,
    fund: Fund | None = None,
    copayments: Iterable = (),
    digits: str = "",
    remaining: Decimal | None = None,
    has_account: bool | None = None,
    reason: str = "",
) -> PaymentNotice:
    """Issue an avis de sommes à payer; it goes to the member's messaging, or on paper.

    `digits` and `remaining` carry over a notice of the fund's former system, partly paid."""
    from guichet.identity import selectors as identity_selectors

    fund = fund or member.fund
    if has_account is None:
        has_account = identity_selectors.account_of_person(person_id=member.pk) is not None
    amount = to_euros(amount)
    for _attempt in range(5):
        reference = (
            references.with_letter(digits)
            if digits
            else references.new_reference(year=issued_on.year, fund_code=fund.code)
        )
        try:
            with transaction.atomic():
                notice = PaymentNotice.objects.create(
                    reference=reference,
                    member=member,
                    fund=fund,
                    issued_on=issued_on,
                    initial_amount=amount,
                    asked_amount=amount,
                    remaining_amount=amount if remaining is None else to_euros(remaining),
                    delivery=NoticeDelivery.MESSAGE if has_account else NoticeDelivery.PAPER,
                )
            break
        except IntegrityError:
            if digits:
                raise
    else:  # pragma: no cover - 5 draws of 11 random digits all taken
        raise RuntimeError("No free notice reference")
    copayments = list(copayments)
    if copayments:
        # The ledger's lifecycle: no later payment recovers what this notice asks for.
        payment_services.claim_copayments(
            copayment_ids=[c.pk for c in copayments], notice_reference=reference, actor=actor
        )
        PaymentNoticeLine.objects.bulk_create(
            PaymentNoticeLine(notice=notice, copayment=copayment, amount=copayment.amount)
            for copayment in copayments
        )
    if notice.delivery == NoticeDelivery.MESSAGE:
        _deliver_notice(notice, notify_by_email=not digits)
    record_audit(
        actor=actor,
        action="notice.issued",
        person_id=member.pk,
        target=notice,
        reference=notice.reference,
        amount=str(amount),
        delivery=notice.delivery,
        **({"reason": reason} if reason else {}),
    )
    return notice


def _unclaimed_deferred(*, cared_before: dt.date):
    """Deferred copayments no notice claims yet; the ledger's lock is taken first, so that no
    import recovers one of them before the notice claims it."""
    from guichet.payments import selectors as payment_selectors

    lock_ledger()
    return payment_selectors.deferred_copayments(cared_before=cared_before).filter(amount__gt=0)


NOTICE_MESSAGE = (
    "Bonjour,\n\n"
    "Vous trouverez ci-joint un avis de sommes à payer pour des participations forfaitaires et "
    "franchises qui n'ont pas pu être récupérées sur vos remboursements.\n\n"
    "Référence de l'avis : {reference}\nMontant dû : {amount}\n\n"
    "Vous pouvez le régler par carte bancaire dans « Mes paiements », rubrique « Payer une "
    "créance ».\n\n"
    "Avec toute notre attention,\nVotre caisse d'Assurance Maladie."
)


def _deliver_notice(notice: PaymentNotice, *, notify_by_email: bool) -> None:
    """The notice's PDF in the member's messaging, in the same transaction as the notice."""
    from guichet.debts.documents import notice_pdf
    from guichet.messaging.enums import MessageKind
    from guichet.messaging.services import deliver_message

    deliver_message(
        person=notice.member,
        subject="Avis de sommes à payer",
        body=NOTICE_MESSAGE.format(
            reference=references.display(notice.reference),
            amount=format_euros(notice.remaining_amount),
        ),
        attachments=[(f"avis-{notice.reference}.pdf", notice_pdf(notice), "application/pdf")],
        kind=MessageKind.PAYMENT_NOTICE,
        notify_by_email=notify_by_email,
    )
    notice.delivered_at = timezone.now()
    notice.save(update_fields=["delivered_at"])


@transaction.atomic
def issue_due_notices(*, today: dt.date, actor: Actor) -> list[PaymentNotice]:
    """The scheduled run: one notice per member for the deferred PF/franchises that no payment
    has recovered for GUICHET_DEBT_NOTICE_AFTER_DAYS, once they reach GUICHET_DEBT_NOTICE_MINIMUM."""
    cutoff = today - dt.timedelta(days=settings.GUICHET_DEBT_NOTICE_AFTER_DAYS)
    by_member: dict[int, list] = defaultdict(list)
    for copayment in _unclaimed_deferred(cared_before=cutoff):
        by_member[copayment.member_id].append(copayment)
    notices = []
    for copayments in by_member.values():
        total = sum((c.amount for c in copayments), ZERO)
        if total >= settings.GUICHET_DEBT_NOTICE_MINIMUM:
            notices.append(
                issue_notice(
                    member=copayments[0].member,
                    amount=total,
                    issued_on=today,
                    copayments=copayments,
                    actor=actor,
                )
            )
    return notices


@transaction.atomic
def issue_notice_now(
    *, member: InsuredPerson, today: dt.date, actor: Actor, reason: str = ""
) -> PaymentNotice:
    """A comptable's action: a notice for every deferred PF/franchise of the member today."""
    copayments = list(
        _unclaimed_deferred(cared_before=today + dt.timedelta(days=1)).filter(member=member)
    )
    if not copayments:
        raise DebtError(
            "Aucune participation forfaitaire ni franchise n'attend d'être récupérée : "
            "il n'y a pas d'avis à émettre."
        )
    total = sum((c.amount for c in copayments), ZERO)
    return issue_notice(
        member=member,
        amount=total,
        issued_on=today,
        copayments=copayments,
        actor=actor,
        reason=reason,
    )


# --- paying -------------------------------------------------------------------------------------


def payment_bounds(*, due: Decimal) -> tuple[Decimal, Decimal]:
    """The least and the most one payment may be, for what the selected notices still ask."""
    highest = min(settings.GUICHET_DEBT_PAYMENT_MAX, due)
    return min(settings.GUICHET_DEBT_PAYMENT_MIN, highest), highest


def check_amount(*, amount: Decimal, due: Decimal) -> None:
    """Raise DebtError with the member's message when `amount` cannot be paid against `due`."""
    if due <= 0:
        raise DebtError(
            "Le paiement de ces références est en cours de traitement : il n'y a plus rien à payer "
            "pour le moment."
        )
    if amount > due:
        raise DebtError(
            f"Le montant du paiement dépasse le solde à payer des références cochées ({format_euros(due)})."
        )
    low, high = payment_bounds(due=due)
    if not low <= amount <= high:
        raise DebtError(
            f"Vous pouvez payer entre {format_euros(low)} et {format_euros(high)} par paiement."
        )


def check_eligibility(*, member: InsuredPerson) -> None:
    """Seed 001: online payment is for a PF/franchise balance between the two bounds."""
    from guichet.debts.selectors import balance_of

    balance = balance_of(member=member)
    low, high = settings.GUICHET_DEBT_ELIGIBLE_MIN, settings.GUICHET_DEBT_ELIGIBLE_MAX
    if not low <= balance <= high:
        raise DebtError(
            f"Le paiement en ligne est possible quand le solde de vos participations forfaitaires "
            f"et franchises est compris entre {format_euros(low)} et {format_euros(high)} ; le "
            f"vôtre est de {format_euros(balance)}. Pour le régler, utilisez le virement ou le "
            f"chèque indiqués sur votre avis, ou contactez votre caisse."
        )


def notice_to_pay(*, member: InsuredPerson, reference: str) -> PaymentNotice:
    """The notice a member asks to pay, or DebtError saying in plain French why not."""
    notice = PaymentNotice.objects.select_related("fund").filter(reference=reference).first()
    if notice is None:
        raise DebtError(
            "Aucun avis ne porte cette référence. Vérifiez-la sur l'en-tête de votre courrier."
        )
    if notice.member_id != member.pk:
        raise DebtError(
            "Cet avis n'est pas à votre nom : seul son destinataire peut le payer depuis son compte."
        )
    if notice.status == NoticeStatus.CANCELLED:
        raise DebtError("Cet avis a été annulé par votre caisse : vous n'avez rien à régler.")
    if notice.remaining_amount == 0:
        raise DebtError("Cet avis est déjà entièrement payé : vous n'avez plus rien à régler.")
    if notice.payable_amount == 0:
        raise DebtError(
            "Le paiement de cet avis est en cours de traitement : il sera pris en compte sous 24 heures."
        )
    check_eligibility(member=member)
    return notice


def new_transaction_reference() -> str:
    """Alphanumeric and unique, as Sips asks; never reused after a cancellation or expiry."""
    return f"GU{timezone.now():%y%j}{secrets.token_hex(6).upper()}"


@transaction.atomic
def start_payment(
    *, member: InsuredPerson, notice_ids: Iterable[int], amount: Decimal, actor: Actor
) -> DebtPayment:
    """Open a transaction for the kiosk, spread over the chosen notices, oldest first."""
    amount = to_euros(amount)
    # The lock makes two tabs paying the same notice take turns; the second finds it taken.
    notices = list(
        PaymentNotice.objects.select_for_update()
        .filter(member=member, pk__in=list(notice_ids), status=NoticeStatus.ISSUED)
        .order_by("issued_on", "pk")
    )
    if not notices:
        raise DebtError("Cochez au moins une référence à payer.")
    check_eligibility(member=member)
    if Allocation.objects.filter(notice__in=notices, is_open=True).exists():
        raise PaymentUnderWay(
            "Un paiement de ces références est déjà en cours, peut-être dans une autre fenêtre. "
            "S'il a été abandonné, vous pourrez payer de nouveau dans une demi-heure."
        )
    due = sum((n.payable_amount for n in notices), ZERO)
    check_amount(amount=amount, due=due)
    payment = DebtPayment.objects.create(
        reference=new_transaction_reference(), member=member, fund=member.fund, amount=amount
    )
    left = amount
    allocations = []
    for notice in notices:
        part = min(left, notice.payable_amount)
        if part > 0:
            allocations.append(Allocation(payment=payment, notice=notice, amount=part))
            left -= part
    Allocation.objects.bulk_create(allocations)
    record_audit(
        actor=actor,
        action="debt_payment.initiated",
        person_id=member.pk,
        target=payment,
        reference=payment.reference,
        amount=str(amount),
        notices=[a.notice.reference for a in allocations],
    )
    return payment


def anomalies(payment: DebtPayment, fields: dict[str, str]) -> list[str]:
    """What in a sealed response does not match the transaction we sent (never trusted blindly)."""
    found = []
    if fields.get("merchantId") != settings.SIPS_MERCHANT_ID:
        found.append(f"commerçant {fields.get('merchantId')!r}")
    if fields.get("amount") != str(payment.amount_in_cents):
        found.append(f"montant {fields.get('amount')!r} au lieu de {payment.amount_in_cents}")
    if fields.get("currencyCode") != sips.CURRENCY_EUR:
        found.append(f"devise {fields.get('currencyCode')!r}")
    return found


@transaction.atomic
def record_kiosk_response(
    *, fields: dict[str, str], channel: str, raw: str = "", problems: Iterable[str] = ()
) -> DebtPayment:
    """Apply a sealed kiosk response once, whatever the channel or how often it comes;
    `problems` found by the caller make it an error for a comptable to check."""
    payment = (
        DebtPayment.objects.select_for_update()
        .filter(reference=fields.get("transactionReference", ""))
        .first()
    )
    if payment is None:
        raise UnknownTransaction(fields.get("transactionReference", ""))
    code = fields.get("responseCode", "")
    if payment.is_final:
        record_audit(
            actor=SYSTEM,
            action="debt_payment.response_ignored",
            person_id=payment.member_id,
            target=payment,
            channel=channel,
            response_code=code,
            status=payment.status,
        )
        if code == "00" and payment.status != PaymentStatus.ACCEPTED:
            # The bank took money for a transaction we had closed (e.g. a stale form posted
            # again after it expired): never silently, a comptable refunds or imputes it.
            _report_anomaly(payment, [f"paiement accepté après la clôture ({payment.status})"])
        return payment
    if code == PENDING_CODE:
        return payment
    problems = [*anomalies(payment, fields), *problems]
    outcome = PaymentStatus.ERROR if problems else OUTCOMES.get(code, PaymentStatus.ERROR)
    payment.channel = channel
    payment.response_code = code[:2]
    payment.authorisation_id = fields.get("authorisationId", "")[:10]
    payment.masked_pan = fields.get("maskedPan", "")[:24]
    payment.holder_authent_status = fields.get("holderAuthentStatus", "")[:20]
    payment.response_data = raw
    payment.responded_at = timezone.now()
    payment.save(
        update_fields=[
            "channel", "response_code", "authorisation_id", "masked_pan",
            "holder_authent_status", "response_data", "responded_at",
        ]
    )  # fmt: skip
    if outcome == PaymentStatus.ACCEPTED:
        for allocation, notice in _locked_notices(payment):
            # The fund may have recovered claimed copayments since the payment opened: what the
            # notice no longer asks was collected twice, to refund (ADR 0073). The CHECK
            # constraint refuses a pending amount above the remaining due.
            excess = max(allocation.amount - notice.payable_amount, ZERO)
            if excess:
                allocation.overpaid = excess
                allocation.save(update_fields=["overpaid"])
                notice.overpaid_amount += excess
                _report_overpayment(notice, f"paiement {payment.reference}", excess)
            notice.pending_amount += allocation.applied
            notice.save(update_fields=["pending_amount", "overpaid_amount"])
    payment.allocations.update(is_open=False)
    payment.transition(
        to=outcome, actor=SYSTEM, reason="; ".join(problems) or f"{channel} {code}".strip()
    )
    if problems:
        _report_anomaly(payment, problems)
    if outcome == PaymentStatus.ACCEPTED:
        transaction.on_commit(lambda: _acknowledge(payment.pk))
    return payment


def _locked_notices(payment: DebtPayment) -> list[tuple[Allocation, PaymentNotice]]:
    """Each allocation with its notice, locked; the sums are done on Decimals, not in SQL, where
    SQLite would compute them in floating point."""
    allocations = list(payment.allocations.order_by("notice_id"))
    locked = PaymentNotice.objects.select_for_update().filter(
        pk__in=[a.notice_id for a in allocations]
    )
    notices = {notice.pk: notice for notice in locked.order_by("pk")}  # one order: no deadlock
    return [(allocation, notices[allocation.notice_id]) for allocation in allocations]


def _report_anomaly(payment: DebtPayment, problems: list[str]) -> None:
    from guichet.workqueues import services as work_services

    work_services.open_item(
        kind=DEBT_PAYMENT_CHECK,
        fund=payment.fund,
        summary=f"Transaction {payment.reference} : " + ", ".join(problems),
        actor=SYSTEM,
        person_id=payment.member_id,
        target=payment,
    )


ACKNOWLEDGMENT = (
    "Bonjour,\n\n"
    "Nous accusons réception de votre paiement de créance du {day}.\n\n"
    "Pour tout renseignement complémentaire concernant votre démarche, vous pouvez nous contacter "
    'dans la rubrique "Ma Messagerie / Ecrire un message" (*).\n\n'
    "Avec toute notre attention,\nVotre caisse d'Assurance Maladie.\n\n"
    "(*) ou par téléphone au 36 46 (coût 0,06 euro/min + prix appel), depuis l'étranger "
    "composez le +33 811 70 36 46 (tarif variable selon l'opérateur téléphonique)."
)


@transaction.atomic
def _acknowledge(payment_id: int) -> None:
    """Seed 000's "Accusé de réception de votre paiement de créance", sent once."""
    from guichet.messaging.enums import MessageKind
    from guichet.messaging.services import deliver_message

    claimed = DebtPayment.objects.filter(pk=payment_id, acknowledged_at__isnull=True).update(
        acknowledged_at=timezone.now()
    )
    if not claimed:
        return
    payment = DebtPayment.objects.select_related("member").get(pk=payment_id)
    deliver_message(
        person=payment.member,
        subject="Accusé de réception de votre paiement de créance",
        body=ACKNOWLEDGMENT.format(day=timezone.localdate(payment.created_at).strftime("%d/%m/%Y")),
        kind=MessageKind.ACKNOWLEDGMENT,
    )


@transaction.atomic
def post_accepted_payments(*, actor: Actor = SYSTEM) -> int:
    """The accounting run: accepted payments leave "pending" and lower what remains due."""
    payments = list(
        DebtPayment.objects.select_for_update(skip_locked=True).filter(
            status=PaymentStatus.ACCEPTED, posted_at__isnull=True
        )
    )
    now = timezone.now()
    for payment in payments:
        for allocation, notice in _locked_notices(payment):
            notice.remaining_amount -= allocation.applied
            notice.pending_amount -= allocation.applied
            notice.save(update_fields=["remaining_amount", "pending_amount"])
            _settle_covered(notice, day=timezone.localdate(now), actor=actor)
        payment.posted_at = now
        payment.save(update_fields=["posted_at"])
        record_audit(
            actor=actor,
            action="debt_payment.posted",
            person_id=payment.member_id,
            target=payment,
            amount=str(payment.amount),
        )
    return len(payments)


def reconcile_stale_payments(*, now: dt.datetime | None = None) -> int:
    """Ask the Office about transactions the kiosk has not answered (Sips getTransactionData):
    apply what it says, or close those it never saw. An unreachable Office, an answer whose seal
    is wrong, or a question it refuses leave them all for the next run. Returns how many settled."""
    now = now or timezone.now()
    stale = DebtPayment.objects.filter(
        status=PaymentStatus.INITIATED,
        created_at__lt=now - dt.timedelta(minutes=settings.GUICHET_DEBT_RECONCILE_AFTER_MINUTES),
    ).values_list("reference", flat=True)
    settled = 0
    for reference in list(stale):
        try:
            answer = sips.transaction_data(reference=reference)
        except sips.KioskUnavailable as error:
            logger.warning("reconciliation: the Office did not answer", extra={"error": str(error)})
            break
        except (sips.BadSeal, sips.OfficeRefused) as error:
            # Not the Office's word about a transaction (forged, or our own configuration):
            # nothing is believed, and people are told.
            what = "bad_seal" if isinstance(error, sips.BadSeal) else f"refused {error}"
            logger.error("reconciliation: the Office's answer is not usable: %s", what)
            payment = DebtPayment.objects.get(reference=reference)
            record_audit(
                actor=SYSTEM, action="debt_payment.diagnostic_refused", target=payment,
                person_id=payment.member_id, error=what,
            )  # fmt: skip
            break
        if answer.is_open:
            continue  # the member is still on the paypage, or the bank has not answered
        fields, problems = _diagnosed(reference, answer)
        payment = record_kiosk_response(
            fields=fields,
            channel=Channel.RECONCILIATION,
            raw=json.dumps(answer.fields, sort_keys=True),
            problems=problems,
        )
        settled += payment.is_final
    return settled


def _diagnosed(reference: str, answer: sips.TransactionData) -> tuple[dict[str, str], list[str]]:
    """The Office's answer as the fields of a kiosk response, for record_kiosk_response; a
    transaction it never saw took no money and is closed as expired, as it expects."""
    payment = DebtPayment.objects.get(reference=reference)
    fields = {
        "transactionReference": reference,
        # The Office answered our sealed question about our own merchant.
        "merchantId": settings.SIPS_MERCHANT_ID,
        "amount": str(payment.amount_in_cents),
        "currencyCode": sips.CURRENCY_EUR,
    }
    if not answer.found:
        return fields | {"responseCode": "97"}, []
    given = answer.fields
    fields |= {
        key: str(given.get(key, ""))
        for key in ("amount", "currencyCode", "authorisationId", "maskedPan", "holderAuthentStatus")
    }
    acquirer = str(given.get("acquirerResponseCode", ""))
    if answer.status in sips.ACCEPTED_STATUSES:
        return fields | {"responseCode": "00"}, []
    if answer.status == sips.REFUSED_STATUS:
        code = acquirer if OUTCOMES.get(acquirer) == PaymentStatus.REFUSED else "05"
        return fields | {"responseCode": code}, []
    if answer.status == sips.ABORTED_STATUS:
        return fields | {"responseCode": "17" if acquirer == "17" else "97"}, []
    return fields | {"responseCode": ""}, [f"état {answer.status!r} au rapprochement"]


# --- the claimed copayments: settled, released, or recovered by the fund after all -------------


def _settle_covered(notice: PaymentNotice, *, day: dt.date, actor: Actor) -> None:
    """The copayments the member's posted payments now cover, oldest first, leave the ledger as
    paid by the notice; a notice with nothing left to pay is settled. `notice` is locked."""
    lines = list(
        notice.lines.filter(released=False)
        .select_related("copayment")
        .order_by("copayment__care_date", "copayment_id")
    )
    budget = notice.paid_amount - sum(
        (line.amount for line in lines if line.copayment.status == CopaymentStatus.PAID_BY_NOTICE),
        ZERO,
    )
    covered = []
    for line in lines:
        if line.copayment.status != CopaymentStatus.CLAIMED:
            continue
        if line.amount > budget:
            break
        covered.append(line.copayment_id)
        budget -= line.amount
    if covered:
        payment_services.settle_copayments_by_notice(
            copayment_ids=covered, notice_reference=notice.reference, paid_on=day, actor=actor
        )
    if (
        notice.status == NoticeStatus.ISSUED
        and notice.remaining_amount == notice.pending_amount == 0
    ):
        notice.transition(to=NoticeStatus.SETTLED, actor=actor)


@transaction.atomic
def cancel_notice(*, notice: PaymentNotice, actor: Actor, reason: str) -> PaymentNotice:
    """A notice issued by mistake: its copayments go back to the deferred ledger, where later
    payments may recover them. Refused once the member paid some of it, or is paying."""
    notice = PaymentNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.status != NoticeStatus.ISSUED:
        raise DebtError("Cet avis est déjà soldé ou annulé : il ne peut plus être annulé.")
    if (
        notice.paid_amount
        or notice.pending_amount
        or Allocation.objects.filter(notice=notice, is_open=True).exists()
    ):
        raise DebtError(
            "Cet avis a déjà reçu un paiement, ou un paiement est en cours : il ne peut plus "
            "être annulé."
        )
    lines = list(notice.lines.filter(released=False))
    if lines:
        payment_services.release_copayments(
            copayment_ids=[line.copayment_id for line in lines],
            notice_reference=notice.reference,
            actor=actor,
        )
        PaymentNoticeLine.objects.filter(pk__in=[line.pk for line in lines]).update(released=True)
    notice.transition(to=NoticeStatus.CANCELLED, actor=actor, reason=reason)
    return notice


@transaction.atomic
def record_claimed_recoveries(claims: list[tuple[str, str, Decimal]]) -> None:
    """The fund's system recovered copayments that notices claim (a payments feed said so): each
    notice asks that much less, never below what is paid or being paid; what the member paid
    beyond is an overpayment to refund, in a comptable's queue, never lost."""
    by_notice: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
    for external_id, reference, amount in claims:
        by_notice[reference].append((external_id, to_euros(amount)))
    notices = PaymentNotice.objects.select_for_update().filter(reference__in=list(by_notice))
    today = timezone.localdate()
    for notice in notices.order_by("pk"):
        for external_id, amount in by_notice[notice.reference]:
            room = notice.remaining_amount - notice.pending_amount
            lowered = min(amount, room) if notice.status == NoticeStatus.ISSUED else ZERO
            excess = amount - lowered
            notice.asked_amount -= lowered
            notice.remaining_amount -= lowered
            notice.overpaid_amount += excess
            notice.lines.filter(copayment__external_id=external_id).update(released=True)
            record_audit(
                actor=SYSTEM,
                action="notice.lowered_by_recovery",
                person_id=notice.member_id,
                target=notice,
                copayment=external_id,
                amount=str(amount),
                lowered=str(lowered),
                overpaid=str(excess),
            )
            if excess:
                _report_overpayment(notice, f"participation {external_id}", excess)
        notice.save(update_fields=["asked_amount", "remaining_amount", "overpaid_amount"])
        _settle_covered(notice, day=today, actor=SYSTEM)


def _report_overpayment(notice: PaymentNotice, what: str, excess: Decimal) -> None:
    from guichet.workqueues import services as work_services

    work_services.open_item(
        kind=DEBT_OVERPAYMENT,
        fund=notice.fund,
        summary=(
            f"Avis {notice.reference} : {format_euros(excess)} perçus deux fois (payés sur l'avis "
            f"et récupérés sur un remboursement, {what}) ; à rembourser"
        ),
        actor=SYSTEM,
        person_id=notice.member_id,
        target=notice,
    )


@transaction.atomic
def delete_debts_of_demo(*, person_ids: list[int]) -> int:
    """Only for resetting the demo: real notices and payments are never deleted."""
    DebtPayment.objects.filter(member_id__in=person_ids).delete()
    deleted, _ = PaymentNotice.objects.filter(member_id__in=person_ids).delete()
    return deleted
