"""Complementary insurers (organismes complémentaires), each person's contracts, the overlaps
that block the automatic transmission (NOEMIE), and the member's choice to end one."""

import datetime as dt

from django.db import models
from django.db.models import F, Q

from guichet.complementary.enums import SOLIDARITY_KINDS, ContractKind, RequestStatus
from guichet.core.statemachine import StateMachine
from guichet.insured.models import InsuredPerson


class Insurer(models.Model):
    """An organisme complémentaire, known by its number (numéro d'organisme)."""

    number = models.CharField("numéro d'organisme", max_length=16, unique=True)
    name = models.CharField("nom", max_length=120)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContractQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> "ContractQuerySet":
        return self.filter(start_on__lte=day).filter(Q(end_on__isnull=True) | Q(end_on__gte=day))


class Contract(models.Model):
    """One person's contract with a complementary insurer, as the fund's systems know it."""

    external_id = models.CharField("référence", max_length=64, unique=True)
    person = models.ForeignKey(
        InsuredPerson, on_delete=models.CASCADE, related_name="complementary_contracts"
    )
    insurer = models.ForeignKey(Insurer, on_delete=models.PROTECT, related_name="contracts")
    member_number = models.CharField("N° adhérent", max_length=32)
    kind = models.CharField("type de contrat", max_length=16, choices=ContractKind.choices)
    start_on = models.DateField("contrat du")
    end_on = models.DateField("jusqu'au", null=True, blank=True)
    source_hash = models.CharField(max_length=64, blank=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["start_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__isnull=True) | Q(end_on__gte=F("start_on")),
                name="contract_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.insurer.name}, N° adhérent {self.member_number}"

    @property
    def is_solidarity(self) -> bool:
        return self.kind in SOLIDARITY_KINDS


class Overlap(models.Model):
    """Two active contracts or more for one person: automatic transmission is blocked for them
    until one is kept. `contract_ids` (sorted) is what the member chose from."""

    person = models.ForeignKey(
        InsuredPerson, on_delete=models.CASCADE, related_name="complementary_overlaps"
    )
    contract_ids = models.JSONField("contrats en chevauchement")
    detected_at = models.DateTimeField("détecté le")
    resolved_at = models.DateTimeField("résolu le", null=True, blank=True)

    class Meta:
        ordering = ["detected_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(resolved_at__isnull=True), name="overlap_one_open"
            )
        ]

    def __str__(self) -> str:
        return f"Chevauchement de {self.person}"


class SelectionRequest(StateMachine):
    """The member's choice, for every person concerned at once, of the insurer to keep."""

    TRANSITIONS = {
        RequestStatus.PENDING: {RequestStatus.PROCESSED, RequestStatus.CANCELLED},
        RequestStatus.PROCESSED: set(),
        RequestStatus.CANCELLED: set(),
    }
    AUDIT_PREFIX = "complementary_request"
    STATE_FIELDS = ["status", "status_changed_at", "processed_at"]

    holder = models.ForeignKey(
        InsuredPerson, on_delete=models.CASCADE, related_name="complementary_requests"
    )
    status = models.CharField(
        "état", max_length=16, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    requested_at = models.DateTimeField("demande faite le")
    processed_at = models.DateTimeField("traitée le", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("satisfaction", null=True, blank=True)
    comment = models.TextField("commentaire", blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["status", "requested_at"], name="cpl_request_due")]
        constraints = [
            models.UniqueConstraint(
                fields=["holder"],
                condition=Q(status="pending"),
                name="cpl_request_one_pending",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="cpl_request_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Choix de complémentaire du {self.requested_at:%d/%m/%Y}"

    def audit_person_id(self) -> int | None:
        return self.holder_id


class Choice(models.Model):
    """For one person of the request: the contract kept, among those of the overlap."""

    request = models.ForeignKey(SelectionRequest, on_delete=models.CASCADE, related_name="choices")
    person = models.ForeignKey(InsuredPerson, on_delete=models.CASCADE, related_name="+")
    overlap = models.ForeignKey(Overlap, on_delete=models.CASCADE, related_name="choices")
    kept = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="+")
    # the overlap's contracts the member chose from: processing refuses a choice made on others
    seen_contract_ids = models.JSONField("contrats présentés", default=list)

    class Meta:
        ordering = ["person__birth_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "person"], name="cpl_choice_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} garde {self.kept}"
