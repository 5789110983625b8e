"""Reads of complementary insurers: a family's overlaps and request, for the member's pages and
the back office."""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Avg, Count, Prefetch, Q

from guichet.complementary.enums import Exclusion, RequestStatus
from guichet.complementary.models import Choice, Contract, Overlap, SelectionRequest
from guichet.insured import selectors as insured_selectors
from guichet.insured.enums import Regime
from guichet.insured.models import InsuredPerson

SELF_SERVICE_LIMIT = 5  # from 5 persons concerned, the fund handles the overlap (seed 003)
EXPLANATIONS = {  # why the choice cannot be made online, in the member's words
    Exclusion.SOLIDARITY: "l'un des contrats concernés est une Complémentaire santé solidaire "
    "(ou une CMU-C, une ACS)",
    Exclusion.TOO_MANY: "5 personnes ou plus de votre famille sont concernées",
    Exclusion.PARTNER: "vous relevez d'un régime partenaire de l'Assurance Maladie",
}


@dataclass
class PersonOverlap:
    person: InsuredPerson
    overlap: Overlap
    contracts: list[Contract]


@dataclass
class Situation:
    """A family's overlaps: who is concerned, between which contracts, and what the member may do."""

    holder: InsuredPerson
    overlaps: list[PersonOverlap] = field(default_factory=list)
    pending: SelectionRequest | None = None

    @property
    def blocked(self) -> bool:
        return bool(self.overlaps)

    @property
    def exclusion(self) -> Exclusion | None:
        if not self.overlaps:
            return None
        if any(c.is_solidarity for o in self.overlaps for c in o.contracts):
            return Exclusion.SOLIDARITY
        if len(self.overlaps) >= SELF_SERVICE_LIMIT:
            return Exclusion.TOO_MANY
        if self.holder.regime == Regime.PARTNER:
            return Exclusion.PARTNER
        return None

    @property
    def processing_days(self) -> int:
        return settings.GUICHET_COMPLEMENTARY_PROCESSING_DAYS

    @property
    def exclusion_explanation(self) -> str:
        return EXPLANATIONS[self.exclusion] if self.exclusion else ""

    @property
    def may_choose(self) -> bool:
        return self.blocked and self.pending is None and self.exclusion is None

    @property
    def fingerprint(self) -> str:
        """What the member saw: a choice made on other overlaps is refused as stale."""
        return ";".join(
            f"{o.overlap.pk}:{','.join(map(str, o.overlap.contract_ids))}" for o in self.overlaps
        )


def situation_of(*, holder: InsuredPerson) -> Situation:
    """The family's open overlaps with their contracts, and the pending request (3 queries)."""
    family = insured_selectors.family_persons(holder=holder)
    by_id = {p.pk: p for p in family}
    overlaps = list(Overlap.objects.filter(person_id__in=by_id, resolved_at__isnull=True))
    ids = {pk for o in overlaps for pk in o.contract_ids}
    contracts = {c.pk: c for c in Contract.objects.select_related("insurer").filter(pk__in=ids)}
    ordered = sorted(overlaps, key=lambda o: family.index(by_id[o.person_id]))
    return Situation(
        holder=holder,
        overlaps=[
            PersonOverlap(
                by_id[o.person_id],
                o,
                sorted(
                    (contracts[pk] for pk in o.contract_ids if pk in contracts),
                    key=lambda c: (c.start_on, c.pk),
                ),
            )
            for o in ordered
        ],
        pending=pending_request(holder=holder),
    )


def pending_request(*, holder: InsuredPerson) -> SelectionRequest | None:
    return SelectionRequest.objects.filter(holder=holder, status=RequestStatus.PENDING).first()


def has_open_overlap(*, holder: InsuredPerson) -> bool:
    """Whether the login dialog may concern this member (1 query)."""
    # Open overlaps are few: the OR over the family's join costs nothing here.
    return (
        Overlap.objects.filter(resolved_at__isnull=True)
        .filter(
            Q(person=holder)
            | Q(person__attachments__holder=holder, person__attachments__detached_on__isnull=True)
        )
        .exists()
    )


@dataclass
class PersonComplementary:
    """What "Mes informations" says of one person's complementary insurer."""

    contracts: list[Contract]  # active today
    blocked: bool
    requested_at: dt.datetime | None  # the pending request that concerns them

    @property
    def processing_days(self) -> int:
        return settings.GUICHET_COMPLEMENTARY_PROCESSING_DAYS

    @property
    def transmission_active(self) -> bool:
        return bool(self.contracts) and not self.blocked


def complementary_of(
    *, person: InsuredPerson, holder: InsuredPerson, today: dt.date
) -> PersonComplementary:
    """One person's active contracts and the state of the automatic transmission (3 queries)."""
    contracts = list(
        Contract.objects.select_related("insurer").filter(person=person).active_on(today)
    )
    blocked = Overlap.objects.filter(person=person, resolved_at__isnull=True).exists()
    pending = (
        Choice.objects.filter(
            person=person, request__holder=holder, request__status=RequestStatus.PENDING
        )
        .select_related("request")
        .first()
    )
    return PersonComplementary(
        contracts, blocked, pending.request.requested_at if pending else None
    )


def request_of_member(*, holder: InsuredPerson, request_id: int) -> SelectionRequest | None:
    return SelectionRequest.objects.filter(pk=request_id, holder=holder).first()


def request_of_fund(*, fund_id: int, request_id: int) -> SelectionRequest | None:
    """A request for the back office, with its choices and contracts (2 queries)."""
    choices = Prefetch(
        "choices",
        queryset=Choice.objects.select_related("person", "kept__insurer", "overlap"),
    )
    return (
        SelectionRequest.objects.select_related("holder")
        .prefetch_related(choices)
        .filter(pk=request_id, holder__fund_id=fund_id)
        .first()
    )


def contracts_by_id(*, ids) -> dict[int, Contract]:
    return {c.pk: c for c in Contract.objects.select_related("insurer").filter(pk__in=ids)}


@dataclass
class SatisfactionSummary:
    answers: int
    average: float | None
    by_rating: list[tuple[int, int]]  # (rating, count) from 5 to 1
    comments: list[SelectionRequest]


def satisfaction_summary(*, fund_id: int, comments: int = 20) -> SatisfactionSummary:
    """What members of the fund said of the online choice (3 queries)."""
    rated = SelectionRequest.objects.filter(holder__fund_id=fund_id, rating__isnull=False)
    totals = rated.aggregate(answers=Count("pk"), average=Avg("rating"))
    counts = dict(rated.order_by().values_list("rating").annotate(n=Count("pk")))
    return SatisfactionSummary(
        answers=totals["answers"],
        average=totals["average"],
        by_rating=[(rating, counts.get(rating, 0)) for rating in range(5, 0, -1)],
        comments=list(rated.exclude(comment="").order_by("-rated_at")[:comments]),
    )


def file_of(*, person: InsuredPerson) -> dict:
    """The "Complémentaire" tab of a member's file: every contract, open overlap and request of
    the person (3 queries)."""
    return {
        "contracts": list(
            Contract.objects.select_related("insurer").filter(person=person).order_by("-start_on")
        ),
        "blocked": Overlap.objects.filter(person=person, resolved_at__isnull=True).exists(),
        "requests": list(SelectionRequest.objects.filter(holder=person)),
    }
