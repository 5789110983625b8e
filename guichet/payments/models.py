"""Payments (décomptes) and what explains them: lines, PF/franchises, sick leave, work accidents;
the dated parameter tables the rules read; the import batches and the fund systems' tokens."""

import datetime as dt
from decimal import Decimal

from django.db import models
from django.db.models import F, Q

from guichet.core.statemachine import StateMachine
from guichet.insured.models import InsuredPerson
from guichet.payments.enums import (
    CareCategory,
    CopaymentKind,
    CopaymentStatus,
    ExemptionReason,
    FeedName,
    ImportStatus,
    Payee,
    PaymentKind,
    SickLeaveKind,
    SickLeaveStatus,
    Transmission,
    WorkAccidentStatus,
)


def money_field(label: str, **options) -> models.DecimalField:
    """Euros with cents, up to 99 999 999,99."""
    return models.DecimalField(label, max_digits=10, decimal_places=2, **options)


class Parameter(models.Model):
    """One dated value of a rule set by law (PF amount, a cap, a tariff, a rate): never a constant
    in code. `valid_to` is the last day it applies (None: still in force)."""

    name = models.CharField("paramètre", max_length=80)
    valid_from = models.DateField("en vigueur du")
    valid_to = models.DateField("jusqu'au", null=True, blank=True)
    value = models.DecimalField("valeur", max_digits=12, decimal_places=4)
    label = models.CharField("libellé", max_length=200, blank=True)
    source = models.CharField("source", max_length=300, blank=True)

    class Meta:
        ordering = ["name", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["name", "valid_from"], name="parameter_once_per_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="parameter_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label or self.name} à partir du {self.valid_from:%d/%m/%Y}"

    @property
    def value_display(self) -> str:
        from guichet.payments.parameters import format_number

        return format_number(self.value)

    @property
    def valid_from_display(self) -> str:
        return f"{self.valid_from:%d/%m/%Y}"

    @property
    def valid_to_display(self) -> str:
        return f"{self.valid_to:%d/%m/%Y}" if self.valid_to else "En vigueur"


class PaymentQuerySet(models.QuerySet):
    def visible_to(self, person: InsuredPerson) -> "PaymentQuerySet":
        """A member sees the payments made to them or for their family, never anyone else's."""
        return self.filter(member=person)


class Payment(models.Model):
    """One payment (a décompte): to the member, or to a professional under tiers payant.

    Every index slows the import down (docs/performance.md): the unique external ids are
    constraints (no second index for LIKE), and the indexes of mostly empty keys are partial."""

    external_id = models.CharField("référence", max_length=64)
    member = models.ForeignKey(
        InsuredPerson, on_delete=models.CASCADE, related_name="payments", db_index=False
    )  # the assuré whose account shows it; (member, paid_on) below serves every read
    beneficiary = models.ForeignKey(
        InsuredPerson, on_delete=models.CASCADE, related_name="payments_as_beneficiary"
    )
    kind = models.CharField("type de paiement", max_length=16, choices=PaymentKind.choices)
    paid_on = models.DateField("payé le")
    reimbursed = money_field("montant remboursé")
    deducted = money_field("participations et franchises déduites", default=0)
    amount = money_field("montant payé")
    payee = models.CharField("payé à", max_length=16, choices=Payee.choices)
    payee_name = models.CharField("bénéficiaire du virement", max_length=120, blank=True)
    transmission = models.CharField(
        "transmission à la complémentaire",
        max_length=16,
        choices=Transmission.choices,
        default=Transmission.NONE,
    )
    complementary_name = models.CharField("organisme complémentaire", max_length=120, blank=True)
    sick_leave = models.ForeignKey(
        "SickLeave",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="payments",
        db_index=False,  # partial index below
    )
    source_hash = models.CharField(max_length=64, blank=True)  # the imported record's digest

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_on", "-pk"]
        indexes = [
            # "Mes paiements", the home page's latest 5, the monthly and annual statements
            models.Index(fields=["member", "-paid_on", "-id"], name="payment_member_paid_on"),
            # the notification and the page "Paiements à transmettre à votre complémentaire"
            models.Index(
                fields=["member", "-paid_on"],
                condition=Q(transmission__in=[Transmission.TO_FORWARD, Transmission.DOWNLOADED]),
                name="payment_member_to_forward",
            ),
            models.Index(
                fields=["sick_leave"],
                condition=Q(sick_leave__isnull=False),
                name="payment_sick_leave",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="payment_external_id"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="payment_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(deducted__gte=0), name="payment_deducted_not_negative"
            ),
            # Within half a cent: SQLite keeps decimals as floating-point numbers.
            models.CheckConstraint(
                condition=Q(amount__gt=F("reimbursed") - F("deducted") - Decimal("0.005"))
                & Q(amount__lt=F("reimbursed") - F("deducted") + Decimal("0.005")),
                name="payment_amount_is_net",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.paid_on:%d/%m/%Y} : {self.amount} €"

    @property
    def is_care(self) -> bool:
        return self.kind != PaymentKind.DAILY_ALLOWANCE

    @property
    def is_to_forward(self) -> bool:
        return self.transmission in (Transmission.TO_FORWARD, Transmission.DOWNLOADED)


class PaymentLine(models.Model):
    """One act of a payment: the care, its cost, the base, the rate and what the fund paid."""

    payment = models.ForeignKey(
        Payment, on_delete=models.CASCADE, related_name="lines", db_index=False
    )  # served by the unique (payment, position)
    position = models.PositiveSmallIntegerField("ligne")
    care_date = models.DateField("date des soins")
    period_end = models.DateField("fin de période", null=True, blank=True)  # daily allowances
    category = models.CharField("nature", max_length=16, choices=CareCategory.choices)
    act_code = models.CharField("code acte", max_length=16)
    act_label = models.CharField("acte", max_length=120)
    professional_name = models.CharField("professionnel de santé", max_length=120, blank=True)
    quantity = models.PositiveSmallIntegerField("quantité", default=1)
    amount_spent = money_field("montant dépensé")
    base = money_field("base de remboursement")
    rate = models.DecimalField("taux", max_digits=5, decimal_places=2)  # percent
    reimbursed = money_field("montant remboursé")

    class Meta:
        ordering = ["payment", "position"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "position"], name="payment_line_position"),
            models.CheckConstraint(
                condition=Q(reimbursed__gte=0) & Q(base__gte=0) & Q(amount_spent__gte=0),
                name="payment_line_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(rate__gte=0) & Q(rate__lte=100), name="payment_line_rate_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.act_label} du {self.care_date:%d/%m/%Y}"


class CopaymentQuerySet(models.QuerySet):
    def visible_to(self, person: InsuredPerson) -> "CopaymentQuerySet":
        return self.filter(member=person)


class Copayment(models.Model):
    """One PF or franchise event: the act that caused it, what the caps left of it, and how it
    was settled (deducted at once, or deferred under tiers payant and recovered later)."""

    external_id = models.CharField("référence", max_length=64)
    member = models.ForeignKey(
        InsuredPerson, on_delete=models.CASCADE, related_name="copayments", db_index=False
    )
    person = models.ForeignKey(
        InsuredPerson, on_delete=models.CASCADE, related_name="copayments_as_beneficiary"
    )
    line = models.ForeignKey(PaymentLine, on_delete=models.CASCADE, related_name="copayments")
    care_date = models.DateField("date des soins")
    kind = models.CharField("nature", max_length=24, choices=CopaymentKind.choices)
    nominal = money_field("montant avant plafonds")
    amount = money_field("montant dû")  # after the daily and annual caps
    status = models.CharField("état", max_length=16, choices=CopaymentStatus.choices)
    settled_by = models.ForeignKey(
        Payment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="settled_copayments",
        db_index=False,  # partial index below
    )
    settled_on = models.DateField("récupérée le", null=True, blank=True)
    # The payment notice (debts app) that claims it; kept once recovered or paid, for the record.
    # A database default: the import writes its rows without this column.
    notice_reference = models.CharField(
        "avis de sommes à payer", max_length=17, blank=True, default="", db_default=""
    )

    objects = CopaymentQuerySet.as_manager()

    class Meta:
        ordering = ["care_date", "pk"]
        indexes = [
            # "Participations forfaitaires et franchises" of one year
            models.Index(fields=["member", "care_date"], name="copayment_member_care_date"),
            models.Index(
                fields=["settled_by"],
                condition=Q(settled_by__isnull=False),
                name="copayment_settled_by",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="copayment_external_id"),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=F("nominal")),
                name="copayment_amount_within_nominal",
            ),
            models.CheckConstraint(
                condition=Q(status=CopaymentStatus.DEFERRED, settled_by__isnull=True)
                | Q(status=CopaymentStatus.CAPPED, settled_by__isnull=True, amount=0)
                | Q(
                    status__in=[CopaymentStatus.DEDUCTED, CopaymentStatus.RECOVERED],
                    settled_on__isnull=False,
                )
                | Q(
                    status=CopaymentStatus.CLAIMED, settled_by__isnull=True, settled_on__isnull=True
                )
                | Q(
                    status=CopaymentStatus.PAID_BY_NOTICE,
                    settled_by__isnull=True,
                    settled_on__isnull=False,
                ),
                name="copayment_status_matches_settlement",
            ),
            # Claimed or paid by a notice names it; deferred, deducted or capped never does.
            models.CheckConstraint(
                condition=Q(
                    status__in=[CopaymentStatus.CLAIMED, CopaymentStatus.PAID_BY_NOTICE],
                    notice_reference__gt="",
                )
                | Q(
                    status__in=[
                        CopaymentStatus.DEFERRED,
                        CopaymentStatus.DEDUCTED,
                        CopaymentStatus.CAPPED,
                    ],
                    notice_reference="",
                )
                | Q(status=CopaymentStatus.RECOVERED),
                name="copayment_notice_matches_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} du {self.care_date:%d/%m/%Y} : {self.amount} €"

    @property
    def is_flat_fee(self) -> bool:
        return self.kind == CopaymentKind.FLAT_FEE

    @property
    def still_due(self) -> Decimal:
        return self.amount if self.is_outstanding else Decimal("0.00")

    @property
    def is_outstanding(self) -> bool:
        """Not collected yet: waiting for a later payment, or claimed by a notice not yet paid."""
        return self.status in (CopaymentStatus.DEFERRED, CopaymentStatus.CLAIMED)


class CopaymentExemption(models.Model):
    """A period during which a person pays no PF nor franchise, beyond what the registry says
    (age, CSS, AME): a pregnancy from the 6th month, a victim of terrorism."""

    person = models.ForeignKey(
        InsuredPerson, on_delete=models.CASCADE, related_name="copayment_exemptions"
    )
    reason = models.CharField("motif", max_length=24, choices=ExemptionReason.choices)
    start_on = models.DateField("du")
    end_on = models.DateField("au")

    class Meta:
        ordering = ["person", "start_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")), name="exemption_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} du {self.start_on:%d/%m/%Y} au {self.end_on:%d/%m/%Y}"


class SickLeave(models.Model):
    """An arrêt de travail; its daily allowances (IJ) are payments of kind DAILY_ALLOWANCE."""

    external_id = models.CharField("référence", max_length=64, unique=True)
    member = models.ForeignKey(
        InsuredPerson, on_delete=models.CASCADE, related_name="sick_leaves", db_index=False
    )
    person = models.ForeignKey(
        InsuredPerson, on_delete=models.CASCADE, related_name="sick_leaves_as_beneficiary"
    )
    kind = models.CharField("nature", max_length=24, choices=SickLeaveKind.choices)
    start_on = models.DateField("du")
    end_on = models.DateField("au")
    employer_name = models.CharField("employeur", max_length=120, blank=True)
    status = models.CharField("état", max_length=16, choices=SickLeaveStatus.choices)
    received_on = models.DateField("reçu le")
    work_accident = models.ForeignKey(
        "WorkAccident", on_delete=models.SET_NULL, null=True, blank=True, related_name="sick_leaves"
    )
    source_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-start_on", "-pk"]
        indexes = [models.Index(fields=["member", "-start_on"], name="sick_leave_member_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")), name="sick_leave_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"Arrêt du {self.start_on:%d/%m/%Y} au {self.end_on:%d/%m/%Y}"

    @property
    def days(self) -> int:
        return (self.end_on - self.start_on).days + 1


class WorkAccident(StateMachine):
    """A work-accident file (accident du travail) under instruction by the fund."""

    TRANSITIONS = {
        WorkAccidentStatus.DECLARED: {
            WorkAccidentStatus.INVESTIGATING,
            WorkAccidentStatus.RECOGNISED,
            WorkAccidentStatus.REFUSED,
        },
        WorkAccidentStatus.INVESTIGATING: {
            WorkAccidentStatus.RECOGNISED,
            WorkAccidentStatus.REFUSED,
        },
        WorkAccidentStatus.RECOGNISED: {WorkAccidentStatus.CLOSED},
        WorkAccidentStatus.REFUSED: {WorkAccidentStatus.RECOGNISED},  # after an appeal
        WorkAccidentStatus.CLOSED: set(),
    }
    AUDIT_PREFIX = "work_accident"
    STATE_FIELDS = ["status", "status_changed_at", "status_on", "source_hash"]

    external_id = models.CharField("référence", max_length=64, unique=True)
    member = models.ForeignKey(
        InsuredPerson, on_delete=models.CASCADE, related_name="work_accidents", db_index=False
    )
    person = models.ForeignKey(
        InsuredPerson, on_delete=models.CASCADE, related_name="work_accidents_as_victim"
    )
    accident_on = models.DateField("date de l'accident")
    declared_on = models.DateField("déclaré le")
    employer_name = models.CharField("employeur", max_length=120, blank=True)
    description = models.CharField("circonstances", max_length=300, blank=True)
    status = models.CharField(
        "état",
        max_length=16,
        choices=WorkAccidentStatus.choices,
        default=WorkAccidentStatus.DECLARED,
    )
    status_on = models.DateField("depuis le")  # the fund's date of the current status
    history = models.JSONField("étapes", default=list)  # [{"status": …, "on": "AAAA-MM-JJ"}]
    source_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-accident_on", "-pk"]
        indexes = [
            models.Index(fields=["member", "-accident_on"], name="work_accident_member_date")
        ]

    def __str__(self) -> str:
        return f"Accident du travail du {self.accident_on:%d/%m/%Y}"

    def audit_person_id(self) -> int | None:
        return self.member_id

    @property
    def steps(self) -> list[dict]:
        """The file's statuses in order, for the member's timeline."""
        return [
            {
                "on": dt.date.fromisoformat(step["on"]),
                "label": WorkAccidentStatus(step["status"]).label,
            }
            for step in self.history
        ]


class FeedClient(models.Model):
    """A system of the fund allowed to post import feeds; only its token's SHA-256 is kept."""

    name = models.CharField("système", max_length=80, unique=True)
    token_prefix = models.CharField(max_length=8)  # to recognise a token in logs, not to use it
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """One file given to an import: applied whole, or refused whole with its error report."""

    feed = models.CharField("flux", max_length=16, choices=FeedName.choices)
    source = models.CharField("origine", max_length=200)
    client = models.ForeignKey(FeedClient, on_delete=models.SET_NULL, null=True, blank=True)
    content_sha256 = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField("état", max_length=16, choices=ImportStatus.choices)
    line_count = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # the first errors: [{"line", "field", "reason"}]
    seconds = models.FloatField(default=0)

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.feed} {self.received_at:%Y-%m-%d %H:%M} ({self.status})"
