"""Reads of the documents app: the fund's public keys, issued documents and their verification,
what an attestation covers."""

import datetime as dt
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric import ec

from guichet.documents import signing
from guichet.documents.models import IssuedDocument, SigningKey
from guichet.insured import selectors as insured_selectors
from guichet.insured.models import InsuredPerson
from guichet.payments import selectors as payments_selectors


def public_key(key_id: str) -> ec.EllipticCurvePublicKey | None:
    """The public key that id names, current or retired; None for an id the fund never used."""
    pem = SigningKey.objects.filter(key_id=key_id).values_list("public_key_pem", flat=True).first()
    return signing.load_public_pem(pem) if pem else None


def issued_document(*, short_code: str) -> IssuedDocument | None:
    return IssuedDocument.objects.filter(short_code=short_code).first()


def verify_short_code(*, short_code: str) -> signing.Verification | None:
    """The issued document's signed code checked again; None when no document has that code."""
    document = issued_document(short_code=short_code)
    if document is None:
        return None
    return signing.verify(document.payload, public_keys=public_key)


def verify_payload(*, text: str) -> signing.Verification:
    """A scanned code checked against the fund's public keys, without trusting anything else."""
    return signing.verify(text, public_keys=public_key)


@dataclass
class Covered:
    """One person of the family as the attestation de droits shows them."""

    person: InsuredPerson
    quality: str  # "Assuré(e)", "Ayant droit (enfant)"…
    open: bool
    exemptions: list[str] = field(default_factory=list)


def coverage_of(*, holder: InsuredPerson, day: dt.date) -> list[Covered]:
    """The assuré then each ayant droit attached today: their rights that day and what exempts
    them: AME, CSS, exonérations du ticket modérateur (its kind, never an ALD's condition), of
    PF and franchises (4 queries, whatever the family)."""
    dependents, _holders = insured_selectors.family_links(person=holder)
    people = [(holder, "Assuré(e)")] + [
        (link.person, f"Ayant droit ({link.get_relationship_display().lower()})")
        for link in sorted(dependents, key=lambda link: (link.person.birth_date, link.person.pk))
    ]
    person_ids = [person.pk for person, _ in people]
    patient_share = insured_selectors.patient_share_exemptions_on(person_ids=person_ids, day=day)
    periods = payments_selectors.exemptions_on(person_ids=person_ids, day=day)
    covered = []
    for person, quality in people:
        exemptions = []
        if person.is_ame:
            exemptions.append("Aide médicale de l'État (AME)")
        if person.has_css:
            until = f" jusqu'au {person.css_until:%d/%m/%Y}" if person.css_until else ""
            exemptions.append(f"{person.get_css_display()}{until}")
        for exemption in patient_share.get(person.pk, []):
            exemptions.append(f"Exonération du ticket modérateur : {exemption.period_display}")
        for period in periods.get(person.pk, []):
            exemptions.append(
                f"Exonération des participations forfaitaires et franchises : "
                f"{period.get_reason_display()} (du {period.start_on:%d/%m/%Y} au "
                f"{period.end_on:%d/%m/%Y})"
            )
        covered.append(Covered(person, quality, person.rights_open_on(day), exemptions))
    return covered
