"""Reads of the registry that other apps may use."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch, Q
from django.db.models.functions import Lower

from guichet.insured.models import (
    Agency,
    Dependent,
    EuropeanCard,
    InsuredPerson,
    PatientShareExemption,
    VitaleCard,
)


def family_of(*, holder: InsuredPerson) -> list[InsuredPerson]:
    """The assuré first, then each ayant droit attached today, with their cards (3 queries)."""
    cards = [
        Prefetch("vitale_cards", queryset=VitaleCard.objects.order_by("-issued_on", "-pk")),
        Prefetch("european_cards", queryset=EuropeanCard.objects.order_by("-valid_until", "-pk")),
    ]
    persons = (
        InsuredPerson.objects.select_related("fund")
        .prefetch_related(*cards)
        .filter(pk__in=_family_ids(holder))
    )
    by_id = {person.pk: person for person in persons}
    ordered = [by_id.pop(holder.pk)]
    ordered.extend(sorted(by_id.values(), key=lambda p: (p.birth_date, p.pk)))
    return ordered


def family_persons(*, holder: InsuredPerson) -> list[InsuredPerson]:
    """The assuré first, then each ayant droit attached today, without their cards (1 query)."""
    persons = {p.pk: p for p in InsuredPerson.objects.filter(pk__in=_family_ids(holder))}
    ordered = [persons.pop(holder.pk, holder)]
    ordered.extend(sorted(persons.values(), key=lambda p: (p.birth_date, p.pk)))
    return ordered


def _family_ids(holder: InsuredPerson):
    # A UNION, not "pk = holder OR pk IN (dependants)": PostgreSQL cannot use the primary key
    # for that OR and scans the whole registry (bench/: "Mes informations" grew with volume).
    holder_id = InsuredPerson.objects.filter(pk=holder.pk).order_by().values_list("pk", flat=True)
    return _dependent_ids(holder).order_by().union(holder_id, all=True)


def _dependent_ids(holder: InsuredPerson):
    return Dependent.objects.filter(holder=holder, detached_on__isnull=True).values_list(
        "person_id", flat=True
    )


def holders_of(*, person_ids) -> dict[int, set[int]]:
    """For each person, the assurés whose account shows them: themselves when they are not an
    attached ayant droit, else each holder they are attached to (1 query)."""
    holders: dict[int, set[int]] = {pk: set() for pk in person_ids}
    for holder_id, person_id in Dependent.objects.filter(
        person_id__in=holders, detached_on__isnull=True
    ).values_list("holder_id", "person_id"):
        holders[person_id].add(holder_id)
    return {pk: found or {pk} for pk, found in holders.items()}


def patient_share_exemptions_on(
    *, person_ids: Iterable[int], day: dt.date
) -> dict[int, list[PatientShareExemption]]:
    """Each person's exonérations du ticket modérateur covering that day, oldest first; a
    person without any is absent (1 query)."""
    found: dict[int, list[PatientShareExemption]] = defaultdict(list)
    for exemption in PatientShareExemption.objects.filter(
        Q(end_on__isnull=True) | Q(end_on__gte=day),
        person_id__in=list(person_ids),
        start_on__lte=day,
    ).order_by("person_id", "start_on", "pk"):
        found[exemption.person_id].append(exemption)
    return dict(found)


def patient_share_exemptions_of(*, person: InsuredPerson) -> list[PatientShareExemption]:
    """Every exonération du ticket modérateur of the person, past ones too, latest first."""
    return list(person.patient_share_exemptions.order_by("-start_on", "-pk"))


def is_attached_dependent(*, person: InsuredPerson) -> bool:
    return Dependent.objects.filter(person=person, detached_on__isnull=True).exists()


def email_is_free(*, email: str, except_person: InsuredPerson | None = None) -> bool:
    """One address, one account: no one else in the registry holds this address."""
    # insured_email_unique_ci's own expression and condition, so that the lookup uses it:
    # email__iexact compiles to UPPER(email) = UPPER(%s) (or LIKE) and scans the registry.
    others = (
        InsuredPerson.objects.alias(email_lower=Lower("email"))
        .filter(email_lower=email.strip().lower())
        .exclude(email="")
    )
    if except_person is not None:
        others = others.exclude(pk=except_person.pk)
    return not others.exists()


def find_for_account_creation(*, nir13: str) -> InsuredPerson | None:
    return InsuredPerson.objects.select_related("fund").filter(nir=nir13).first()


def find_for_account_creation_by_id(*, person_id: int) -> InsuredPerson | None:
    return InsuredPerson.objects.select_related("fund").filter(pk=person_id).first()


def person_for_update(*, person_id: int) -> InsuredPerson:
    """The person, row-locked until the caller's transaction ends (one change at a time)."""
    return InsuredPerson.objects.select_for_update().get(pk=person_id)


def persons_by_nir_prefix(*, prefix10: str, limit: int = 50) -> list[InsuredPerson]:
    """The persons whose NIR starts with these 10 characters (sex, year and month, place of birth),
    with their fund: FranceConnect's identité pivot points there (identity.franceconnect)."""
    # A range on the unique index, not LIKE 'prefix%': PostgreSQL uses the index for a range
    # whatever the collation; the 3 characters left are the order number, digits only.
    return list(
        InsuredPerson.objects.select_related("fund").filter(
            nir__gte=f"{prefix10}000", nir__lte=f"{prefix10}999"
        )[:limit]
    )


# --- The back office: a fund's agents read their own fund's registry only -------------------------


def persons_of_fund(*, fund_id: int):
    """Every person the fund covers: the scope of everything its agents read."""
    return InsuredPerson.objects.filter(fund_id=fund_id)


def search_persons(
    *,
    fund_id: int,
    nir13: str = "",
    last_name: str = "",
    birth_date=None,
    email: str = "",
):
    """The fund's persons matching every criterion given, by name then birth date.

    Each criterion hits an index: the NIR's unique index, the e-mail's (Lower, as email_is_free),
    the birth date's (then the name is compared on those few rows)."""
    persons = persons_of_fund(fund_id=fund_id).select_related("fund")
    if nir13:
        persons = persons.filter(nir=nir13)
    if email:
        persons = (
            persons.alias(email_lower=Lower("email"))
            .filter(email_lower=email.strip().lower())
            .exclude(email="")
        )
    if birth_date is not None:
        persons = persons.filter(birth_date=birth_date)
    if last_name:
        name = last_name.strip()
        persons = persons.filter(Q(birth_name__iexact=name) | Q(usage_name__iexact=name))
    return persons.order_by("birth_name", "first_names", "birth_date", "pk")


def person_of_fund(*, fund_id: int, person_id: int) -> InsuredPerson | None:
    """One person of the fund, with their cards; None for anyone else's (the view's 404)."""
    return (
        persons_of_fund(fund_id=fund_id)
        .select_related("fund")
        .prefetch_related("vitale_cards", "european_cards")
        .filter(pk=person_id)
        .first()
    )


def family_links(*, person: InsuredPerson) -> tuple[list[Dependent], list[Dependent]]:
    """The person's ayants droit, and the assurés they are attached to (current links only)."""
    dependents = list(
        Dependent.objects.filter(holder=person, detached_on__isnull=True).select_related("person")
    )
    holders = list(
        Dependent.objects.filter(person=person, detached_on__isnull=True).select_related("holder")
    )
    return dependents, holders


def open_agencies_of(*, fund_id: int) -> list[Agency]:
    """The agencies of a fund that receive members today, by name (1 query)."""
    return list(Agency.objects.filter(fund_id=fund_id, open=True).order_by("name"))
