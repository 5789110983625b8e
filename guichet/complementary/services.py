"""Writes of complementary insurers: overlap detection, the member's choice, its processing."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from guichet.complementary import selectors
from guichet.complementary.enums import CHOICE_TO_PROCESS, OVERLAP_FOR_FUND, RequestStatus
from guichet.complementary.models import Choice, Contract, Insurer, Overlap, SelectionRequest
from guichet.core.actors import SYSTEM, Actor
from guichet.core.services import change_reference_row, record_audit
from guichet.insured import selectors as insured_selectors
from guichet.insured.models import InsuredPerson
from guichet.messaging import services as messaging
from guichet.messaging.enums import NotificationKind
from guichet.payments import services as payments
from guichet.workqueues import services as work

ACTIVATED = "La transmission automatique des paiements à votre complémentaire est activée."
STALE = (
    "Vos complémentaires ont changé depuis votre choix : il n'a pas pu être appliqué. "
    "Choisissez à nouveau l'organisme qui recevra vos remboursements."
)


class ChoiceRefused(Exception):
    """The choice cannot be taken; the message says why, to the member."""


@transaction.atomic
def detect_overlaps(
    *, person_ids: Iterable[int] | None = None, today: dt.date | None = None, actor: Actor = SYSTEM
) -> int:
    """Open an overlap for each person with two active contracts or more (or update it when its
    contracts changed), resolve those left with one; returns how many overlaps were opened.
    `person_ids` None: everyone (the nightly job)."""
    today = today or timezone.localdate()
    now = timezone.now()
    contracts = Contract.objects.active_on(today)
    overlaps = Overlap.objects.select_for_update().filter(resolved_at__isnull=True)
    if person_ids is not None:
        person_ids = set(person_ids)
        contracts = contracts.filter(person_id__in=person_ids)
        overlaps = overlaps.filter(person_id__in=person_ids)
    active: dict[int, list[tuple[int, dt.date]]] = defaultdict(list)
    for pk, person_id, start_on in contracts.values_list("pk", "person_id", "start_on"):
        active[person_id].append((pk, start_on))
    open_ = {o.person_id: o for o in overlaps}
    opened = []
    for person_id, found in active.items():
        if len(found) < 2:
            continue
        ids = sorted(pk for pk, _ in found)
        overlap = open_.pop(person_id, None)
        if overlap is not None and overlap.contract_ids == ids:
            continue
        if overlap is None:
            overlap = Overlap.objects.create(person_id=person_id, contract_ids=ids, detected_at=now)
            opened.append(person_id)
        else:
            overlap.contract_ids = ids
            overlap.save(update_fields=["contract_ids"])
        record_audit(
            actor=actor, action="complementary.overlap_detected", person_id=person_id,
            target=overlap, contracts=ids,
        )  # fmt: skip
        # Since the later contract began, no insurer received this person's payments.
        payments.hold_transmission(
            beneficiary_id=person_id, since=max(start for _, start in found), actor=actor
        )
    for overlap in open_.values():  # one contract left: transmission works again
        overlap.resolved_at = now
        overlap.save(update_fields=["resolved_at"])
        record_audit(
            actor=actor, action="complementary.overlap_resolved", person_id=overlap.person_id,
            target=overlap,
        )  # fmt: skip
    if opened:
        _send_excluded_to_fund(person_ids=opened, actor=actor)
    return len(opened)


def _send_excluded_to_fund(*, person_ids: list[int], actor: Actor) -> None:
    """Families the member cannot sort out online go to the back office's queue."""
    holder_ids = {
        h for hs in insured_selectors.holders_of(person_ids=person_ids).values() for h in hs
    }
    for holder in InsuredPerson.objects.select_related("fund").filter(pk__in=holder_ids):
        situation = selectors.situation_of(holder=holder)
        if situation.exclusion is None:
            continue
        work.open_item(
            kind=OVERLAP_FOR_FUND,
            fund=holder.fund,
            person_id=holder.pk,
            target=holder,
            summary=f"Chevauchement de complémentaires : {situation.exclusion.label}",
            actor=actor,
        )


@transaction.atomic
def submit_choice(
    *, holder: InsuredPerson, kept: dict[int, int], fingerprint: str, actor: Actor
) -> SelectionRequest:
    """The member keeps one contract for each person concerned, all at once."""
    insured_selectors.person_for_update(person_id=holder.pk)  # one submission at a time
    situation = selectors.situation_of(holder=holder)
    if situation.pending is not None:
        raise ChoiceRefused(
            "Vous avez déjà envoyé votre choix le "
            f"{timezone.localtime(situation.pending.requested_at):%d/%m/%Y} : il est en cours de traitement."
        )
    if not situation.blocked:
        raise ChoiceRefused(
            "Aucun chevauchement de complémentaires n'est en cours pour votre famille."
        )
    if situation.exclusion is not None:
        raise ChoiceRefused(
            "Ce choix ne peut pas être fait en ligne : contactez votre caisse d'assurance maladie."
        )
    if fingerprint != situation.fingerprint or set(kept) != {
        o.person.pk for o in situation.overlaps
    }:
        raise ChoiceRefused(
            "Les complémentaires de votre famille ont changé depuis l'affichage de la page. "
            "Votre choix n'a pas été envoyé : vérifiez les organismes affichés et choisissez à nouveau."
        )
    for item in situation.overlaps:
        if kept[item.person.pk] not in item.overlap.contract_ids:
            raise ChoiceRefused("Choisissez l'un des organismes affichés pour chaque bénéficiaire.")
    request = SelectionRequest.objects.create(holder=holder, requested_at=timezone.now())
    Choice.objects.bulk_create(
        Choice(
            request=request,
            person=o.person,
            overlap=o.overlap,
            kept_id=kept[o.person.pk],
            seen_contract_ids=o.overlap.contract_ids,
        )
        for o in situation.overlaps
    )
    record_audit(
        actor=actor, action="complementary_request.submitted", person_id=holder.pk, target=request,
        kept={str(k): v for k, v in kept.items()},
    )  # fmt: skip
    work.open_item(
        kind=CHOICE_TO_PROCESS,
        fund=holder.fund,
        person_id=holder.pk,
        target=request,
        summary=f"Choix de complémentaire pour {len(kept)} bénéficiaire(s)",
        actor=actor,
    )
    return request


@transaction.atomic
def rate_service(*, request: SelectionRequest, rating: int, comment: str, actor: Actor) -> None:
    """ "ÊTES-VOUS SATISFAIT DE CE SERVICE ?": one answer a request, the last one kept."""
    request.rating, request.comment, request.rated_at = rating, comment.strip(), timezone.now()
    request.save(update_fields=["rating", "comment", "rated_at"])
    record_audit(
        actor=actor, action="complementary_request.rated", person_id=request.holder_id,
        target=request, rating=rating,
    )  # fmt: skip


@transaction.atomic
def process_request(
    *, request_id: int, actor: Actor, today: dt.date | None = None
) -> SelectionRequest:
    """End the contracts not kept, turn transmission back on, tell the member. A choice whose
    overlap changed meanwhile is not applied: the request is cancelled and the member asked again."""
    request = (
        SelectionRequest.objects.select_for_update().select_related("holder").get(pk=request_id)
    )
    if request.status != RequestStatus.PENDING:
        return request
    today = today or timezone.localdate()
    now = timezone.now()
    choices = list(request.choices.select_related("overlap"))
    stale = any(
        c.overlap.resolved_at is not None or c.overlap.contract_ids != c.seen_contract_ids
        for c in choices
    )
    if stale:
        request.transition(to=RequestStatus.CANCELLED, actor=actor, reason="overlap changed")
        work.close_items_about(
            kind=CHOICE_TO_PROCESS, target=request, outcome="Annulée : le chevauchement a changé",
            actor=actor,
        )  # fmt: skip
        messaging.notify(
            person=request.holder,
            text=STALE,
            url=reverse("complementary:notice"),
            kind=NotificationKind.COMPLEMENTARY,
        )
        return request
    for choice in choices:
        for contract in Contract.objects.filter(pk__in=choice.overlap.contract_ids).exclude(
            pk=choice.kept_id
        ):
            contract.end_on = max(contract.start_on, today - dt.timedelta(days=1))
            contract.save(update_fields=["end_on"])
            record_audit(
                actor=actor, action="complementary.contract_ended", person_id=choice.person_id,
                target=contract, end_on=contract.end_on.isoformat(),
            )  # fmt: skip
        Overlap.objects.filter(pk=choice.overlap_id).update(resolved_at=now)
    request.processed_at = now
    request.transition(to=RequestStatus.PROCESSED, actor=actor)
    work.close_items_about(
        kind=CHOICE_TO_PROCESS, target=request, outcome="Choix appliqué", actor=actor
    )
    # notify() also queues the "avis de dépôt" e-mail (nothing personal in it).
    messaging.notify(
        person=request.holder,
        text=ACTIVATED,
        url=reverse("insured:information"),
        kind=NotificationKind.COMPLEMENTARY,
    )
    return request


def process_due_requests(*, now: dt.datetime | None = None) -> int:
    """The scheduled job: process the choices no gestionnaire processed within the delay."""
    now = now or timezone.now()
    due = now - dt.timedelta(days=settings.GUICHET_COMPLEMENTARY_PROCESSING_DAYS)
    ids = list(
        SelectionRequest.objects.filter(status=RequestStatus.PENDING, requested_at__lte=due)
        .order_by("requested_at")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        process_request(request_id=pk, actor=SYSTEM)
    return len(ids)


@transaction.atomic
def update_insurer(*, insurer: Insurer, actor: Actor, **fields) -> Insurer:
    """A superviseur corrects an insurer's name as members read it; the journal keeps the change."""
    return change_reference_row(
        row=insurer, fields=fields, editable=("name",), actor=actor, table="insurer"
    )
