"""Payment notices (avis de sommes à payer) and the payments made through the kiosk.

The database holds what must never be false (ADR 0071): a notice's pending and remaining amounts
stay between zero and what it asked for; a transaction reference is used once; a notice is in at
most one transaction waiting for the kiosk.
"""

from decimal import Decimal

from django.db import models
from django.db.models import F, Q

from guichet.core.statemachine import StateMachine
from guichet.debts.enums import Channel, NoticeDelivery, NoticeStatus, PaymentStatus
from guichet.insured.models import Fund, InsuredPerson
from guichet.payments.models import money_field


class PaymentNoticeQuerySet(models.QuerySet):
    def visible_to(self, person: InsuredPerson) -> "PaymentNoticeQuerySet":
        return self.filter(member=person)

    def open(self) -> "PaymentNoticeQuerySet":
        return self.filter(status=NoticeStatus.ISSUED, remaining_amount__gt=F("pending_amount"))

    def in_force(self) -> "PaymentNoticeQuerySet":
        return self.exclude(status=NoticeStatus.CANCELLED)


class PaymentNotice(StateMachine):
    """An avis de sommes à payer: what the fund asks a member to pay, and what is left of it.

    The amounts only ever decrease: initial (printed on the letter) ≥ asked (less what the fund
    recovered from reimbursements after all) ≥ remaining (less the payments posted) ≥ pending
    (payments accepted by the kiosk, not yet posted). What the member paid is asked − remaining.
    """

    TRANSITIONS = {NoticeStatus.ISSUED: {NoticeStatus.SETTLED, NoticeStatus.CANCELLED}}
    AUDIT_PREFIX = "notice"

    reference = models.CharField("référence", max_length=17, unique=True)
    member = models.ForeignKey(InsuredPerson, on_delete=models.CASCADE, related_name="notices")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    issued_on = models.DateField("date d'émission")
    status = models.CharField(
        "état", max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED
    )
    initial_amount = money_field("montant initial dû")
    asked_amount = money_field("montant demandé")  # less the copayments recovered after all
    remaining_amount = money_field("montant restant dû")  # after the payments posted
    pending_amount = money_field("paiements en cours de traitement", default=Decimal("0.00"))
    # Collected twice (paid here and recovered by the fund): to refund, in a comptable's queue.
    overpaid_amount = money_field("trop-perçu à rembourser", default=Decimal("0.00"))
    delivery = models.CharField("envoi", max_length=8, choices=NoticeDelivery.choices)
    delivered_at = models.DateTimeField("envoyé le", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PaymentNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["issued_on", "pk"]
        indexes = [models.Index(fields=["member", "issued_on"], name="notice_member_issued_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(initial_amount__gt=0), name="notice_initial_positive"
            ),
            models.CheckConstraint(
                condition=Q(asked_amount__lte=F("initial_amount")),
                name="notice_asked_within_initial",
            ),
            models.CheckConstraint(
                condition=Q(remaining_amount__lte=F("asked_amount")),
                name="notice_remaining_within_asked",
            ),
            models.CheckConstraint(
                condition=Q(overpaid_amount__gte=0), name="notice_overpaid_not_negative"
            ),
            models.CheckConstraint(
                condition=~Q(status=NoticeStatus.SETTLED) | Q(remaining_amount=0, pending_amount=0),
                name="notice_settled_when_nothing_left",
            ),
            models.CheckConstraint(
                condition=~Q(status=NoticeStatus.CANCELLED) | Q(pending_amount=0),
                name="notice_cancelled_with_nothing_pending",
            ),
            models.CheckConstraint(
                condition=Q(pending_amount__gte=0) & Q(pending_amount__lte=F("remaining_amount")),
                name="notice_pending_within_remaining",
            ),
        ]

    def __str__(self) -> str:
        return f"Avis {self.reference}"

    def audit_person_id(self) -> int | None:
        return self.member_id

    @property
    def paid_amount(self) -> Decimal:
        """What the member's posted payments covered."""
        return self.asked_amount - self.remaining_amount

    @property
    def recovered_amount(self) -> Decimal:
        """What the fund recovered from reimbursements after all, and no longer asks here."""
        return self.initial_amount - self.asked_amount

    @property
    def payable_amount(self) -> Decimal:
        """What may still be paid: the remaining due less the payments not yet posted."""
        return self.remaining_amount - self.pending_amount


class PaymentNoticeLine(models.Model):
    """A deferred PF or franchise that a notice asks for: each one is claimed by one notice at a
    time. A line is released when its notice is cancelled or the fund recovers the copayment."""

    notice = models.ForeignKey(PaymentNotice, on_delete=models.CASCADE, related_name="lines")
    copayment = models.ForeignKey(
        "payments.Copayment", on_delete=models.PROTECT, related_name="notice_lines"
    )
    amount = money_field("montant")
    released = models.BooleanField("libérée", default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="notice_line_amount_positive"),
            models.UniqueConstraint(
                fields=["copayment"],
                condition=Q(released=False),
                name="copayment_claimed_by_one_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} € de l'avis {self.notice_id}"


class DebtPaymentQuerySet(models.QuerySet):
    def visible_to(self, person: InsuredPerson) -> "DebtPaymentQuerySet":
        return self.filter(member=person)


class DebtPayment(StateMachine):
    """One attempt to pay through the kiosk, known there by its transaction reference."""

    TRANSITIONS = {
        PaymentStatus.INITIATED: {
            PaymentStatus.ACCEPTED,
            PaymentStatus.REFUSED,
            PaymentStatus.CANCELLED,
            PaymentStatus.EXPIRED,
            PaymentStatus.ERROR,
        },
    }
    AUDIT_PREFIX = "debt_payment"
    FINAL = frozenset(PaymentStatus) - {PaymentStatus.INITIATED}

    reference = models.CharField("référence de la transaction", max_length=35, unique=True)
    member = models.ForeignKey(
        InsuredPerson, on_delete=models.PROTECT, related_name="debt_payments"
    )
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    amount = money_field("montant")
    status = models.CharField(
        "état", max_length=12, choices=PaymentStatus.choices, default=PaymentStatus.INITIATED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    channel = models.CharField("appliqué par", max_length=16, choices=Channel.choices, blank=True)
    response_code = models.CharField("code réponse", max_length=2, blank=True)
    authorisation_id = models.CharField("numéro d'autorisation", max_length=10, blank=True)
    masked_pan = models.CharField("carte", max_length=24, blank=True)
    holder_authent_status = models.CharField("3-D Secure", max_length=20, blank=True)
    response_data = models.TextField("réponse du kiosque", blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    posted_at = models.DateTimeField("imputé le", null=True, blank=True)
    acknowledged_at = models.DateTimeField("accusé de réception le", null=True, blank=True)

    objects = DebtPaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["member", "created_at"], name="debtpayment_member_created"),
            # the accounting run and the reconciliation
            models.Index(fields=["status", "posted_at"], name="debtpayment_status_posted"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="debtpayment_amount_positive"),
            models.CheckConstraint(
                condition=Q(posted_at__isnull=True) | Q(status=PaymentStatus.ACCEPTED),
                name="debtpayment_only_accepted_posted",
            ),
        ]

    def __str__(self) -> str:
        return f"Paiement {self.reference}"

    def audit_person_id(self) -> int | None:
        return self.member_id

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL

    @property
    def amount_in_cents(self) -> int:
        return int(self.amount * 100)


class Allocation(models.Model):
    """The part of a payment that goes to one notice, oldest notice first."""

    payment = models.ForeignKey(DebtPayment, on_delete=models.CASCADE, related_name="allocations")
    notice = models.ForeignKey(PaymentNotice, on_delete=models.PROTECT, related_name="allocations")
    amount = money_field("montant")
    # True while the payment waits for the kiosk: one such payment per notice.
    is_open = models.BooleanField(default=True)
    # What the notice no longer asked when the kiosk accepted the payment (the fund recovered the
    # copayments meanwhile): collected twice, to refund, never counted as paid (ADR 0073).
    overpaid = money_field("trop-perçu", default=Decimal("0.00"))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
            models.CheckConstraint(
                condition=Q(overpaid__gte=0) & Q(overpaid__lte=F("amount")),
                name="allocation_overpaid_within_amount",
            ),
            models.UniqueConstraint(
                fields=["notice"], condition=Q(is_open=True), name="one_open_payment_per_notice"
            ),
            models.UniqueConstraint(
                fields=["payment", "notice"], name="allocation_once_per_notice"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} € du paiement {self.payment_id} sur l'avis {self.notice_id}"

    @property
    def applied(self) -> Decimal:
        """What goes to the notice: pending once accepted, then posted."""
        return self.amount - self.overpaid
