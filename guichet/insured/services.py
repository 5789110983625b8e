"""Writes of the registry: registration, and the contact details a member may change."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from stdnum import bic, iban

from guichet.core import nir as nir_rules
from guichet.core.actors import Actor
from guichet.core.services import change_reference_row, record_audit
from guichet.insured.models import (
    Agency,
    Dependent,
    EuropeanCard,
    Fund,
    InsuredPerson,
    PatientShareExemption,
    VitaleCard,
)


@transaction.atomic
def set_email(*, person: InsuredPerson, email: str, verified: bool, actor: Actor) -> InsuredPerson:
    person.email = email.strip().lower()
    person.email_verified_at = timezone.now() if verified else None
    person.save(update_fields=["email", "email_verified_at", "updated_at"])
    record_audit(
        actor=actor,
        action="insured.email_changed",
        person_id=person.pk,
        target=person,
        verified=verified,
    )
    return person


def mark_email_verified(*, person: InsuredPerson, actor: Actor) -> InsuredPerson:
    if person.email_verified_at is None:
        person.email_verified_at = timezone.now()
        person.save(update_fields=["email_verified_at", "updated_at"])
        record_audit(
            actor=actor, action="insured.email_verified", person_id=person.pk, target=person
        )
    return person


@transaction.atomic
def update_phones(
    *, person: InsuredPerson, mobile_phone: str, landline_phone: str, actor: Actor
) -> InsuredPerson:
    changed = [
        name
        for name, value in (("mobile_phone", mobile_phone), ("landline_phone", landline_phone))
        if getattr(person, name) != value
    ]
    if changed:
        person.mobile_phone, person.landline_phone = mobile_phone, landline_phone
        person.save(update_fields=[*changed, "updated_at"])
        record_audit(
            actor=actor,
            action="insured.phones_changed",
            person_id=person.pk,
            target=person,
            fields=changed,
        )
    return person


@transaction.atomic
def update_contact_permissions(
    *, person: InsuredPerson, by_email: bool, by_sms: bool, actor: Actor
) -> InsuredPerson:
    if (person.contact_by_email, person.contact_by_sms) == (by_email, by_sms):
        return person
    person.contact_by_email, person.contact_by_sms = by_email, by_sms
    person.save(update_fields=["contact_by_email", "contact_by_sms", "updated_at"])
    record_audit(
        actor=actor,
        action="insured.contact_permissions_changed",
        person_id=person.pk,
        target=person,
        by_email=by_email,
        by_sms=by_sms,
    )
    return person


# --- Registration (the fund's systems, the demo and synthetic populations) -----------------------


class RegistryError(ValueError):
    """A record that the registry refuses, with the reason."""


def register_fund(*, code: str, name: str, **fields) -> Fund:
    """Create or update a fund by its code d'organisme."""
    fund, _ = Fund.objects.update_or_create(code=code, defaults={"name": name, **fields})
    return fund


FUND_EDITABLE_FIELDS = ("name", "address_line1", "address_line2", "postal_code", "city", "phone")


@transaction.atomic
def update_fund(*, fund: Fund, actor: Actor, **fields) -> Fund:
    """A superviseur corrects their fund's reference data; the journal keeps every change, which
    is the table's history (ADR 0023)."""
    return change_reference_row(
        row=fund, fields=fields, editable=FUND_EDITABLE_FIELDS, actor=actor, table="fund"
    )


AGENCY_EDITABLE_FIELDS = (
    "name",
    "address",
    "postal_code",
    "city",
    "phone",
    "opening_hours",
    "accessible",
    "open",
)


@transaction.atomic
def add_agency(*, fund: Fund, actor: Actor, **fields) -> Agency:
    """A superviseur opens an agency of their fund; the journal keeps it, the row's history."""
    unknown = set(fields) - set(AGENCY_EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    agency = Agency(fund=fund, **fields)
    agency.full_clean()
    agency.save()
    record_audit(
        actor=actor,
        action="reference.agency.added",
        target=agency,
        changes={name: [None, getattr(agency, name)] for name in AGENCY_EDITABLE_FIELDS},
    )
    return agency


@transaction.atomic
def update_agency(*, agency: Agency, actor: Actor, **fields) -> Agency:
    """A superviseur corrects an agency, or closes it (never deleted: appointments name it)."""
    return change_reference_row(
        row=agency, fields=fields, editable=AGENCY_EDITABLE_FIELDS, actor=actor, table="agency"
    )


@transaction.atomic
def register_person(*, fund: Fund, nir15: str, actor: Actor, **fields) -> InsuredPerson:
    """Add a person to the registry; the NIR must be complete and valid, the IBAN and BIC too."""
    nir15 = nir_rules.normalize(nir15)
    if not nir_rules.is_valid_full(nir15):
        raise RegistryError(f"NIR invalide : {nir15}")
    if fields.get("iban"):
        fields["iban"] = iban.compact(fields["iban"])
        if not iban.is_valid(fields["iban"]):
            raise RegistryError("IBAN invalide")
    if fields.get("bic"):
        fields["bic"] = bic.compact(fields["bic"])
    if fields.get("bic") and not bic.is_valid(fields["bic"]):
        raise RegistryError("BIC invalide")
    if fields.get("email"):
        fields["email"] = fields["email"].strip().lower()
    person = InsuredPerson.objects.create(fund=fund, nir=nir15[:13], nir_key=nir15[13:], **fields)
    record_audit(actor=actor, action="insured.registered", person_id=person.pk, target=person)
    return person


@transaction.atomic
def attach_dependent(
    *,
    holder: InsuredPerson,
    person: InsuredPerson,
    relationship: str,
    attached_on: dt.date,
    actor: Actor,
) -> Dependent:
    dependent = Dependent.objects.create(
        holder=holder, person=person, relationship=relationship, attached_on=attached_on
    )
    record_audit(
        actor=actor, action="insured.dependent_attached", person_id=holder.pk, target=dependent
    )
    return dependent


def issue_vitale_card(
    *, person: InsuredPerson, serial_number: str, issued_on: dt.date
) -> VitaleCard:
    return VitaleCard.objects.create(
        person=person, serial_number=serial_number, issued_on=issued_on
    )


def issue_european_card(
    *, person: InsuredPerson, card_number: str, issued_on: dt.date
) -> EuropeanCard:
    """A CEAM is valid two years from its issue."""
    try:
        anniversary = issued_on.replace(year=issued_on.year + 2)
    except ValueError:  # issued on 29 February: the card runs to the 28th
        anniversary = dt.date(issued_on.year + 2, 3, 1)
    valid_until = anniversary - dt.timedelta(days=1)
    return EuropeanCard.objects.create(
        person=person, card_number=card_number, issued_on=issued_on, valid_until=valid_until
    )


@transaction.atomic
def record_patient_share_exemption(
    *,
    person: InsuredPerson,
    kind: str,
    start_on: dt.date,
    end_on: dt.date | None = None,
    actor: Actor,
) -> PatientShareExemption:
    """The fund's systems record an exonération du ticket modérateur: its kind and dates only,
    never the condition behind an ALD (ADR 0029)."""
    if end_on is not None and end_on < start_on:
        raise RegistryError("La fin de l'exonération précède son début.")
    if PatientShareExemption.objects.filter(person=person, kind=kind, start_on=start_on).exists():
        raise RegistryError("Cette exonération est déjà enregistrée à cette date.")
    exemption = PatientShareExemption.objects.create(
        person=person, kind=kind, start_on=start_on, end_on=end_on
    )
    record_audit(
        actor=actor,
        action="insured.patient_share_exemption_recorded",
        person_id=person.pk,
        target=exemption,
        kind=kind,
        start_on=start_on.isoformat(),
        end_on=end_on.isoformat() if end_on else None,
    )
    return exemption


@transaction.atomic
def end_patient_share_exemption(
    *, exemption: PatientShareExemption, end_on: dt.date, actor: Actor
) -> PatientShareExemption:
    """Date the end of an exonération (a new one later is a new record, its history kept)."""
    if end_on < exemption.start_on:
        raise RegistryError("La fin de l'exonération précède son début.")
    previous = exemption.end_on
    exemption.end_on = end_on
    exemption.save(update_fields=["end_on"])
    record_audit(
        actor=actor,
        action="insured.patient_share_exemption_ended",
        person_id=exemption.person_id,
        target=exemption,
        end_on=[previous.isoformat() if previous else None, end_on.isoformat()],
    )
    return exemption


def remove_persons(*, nirs: list[str]) -> int:
    """Only for resetting the demo: a fund's registry is fed by its systems, which never delete."""
    persons = InsuredPerson.objects.filter(nir__in=nirs)
    count = persons.count()
    Dependent.objects.filter(person__in=persons).delete()
    persons.delete()
    return count
