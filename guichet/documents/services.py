"""Writes of the documents app: registering the signing key, issuing signed documents."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from guichet.core.actors import Actor
from guichet.core.services import record_audit
from guichet.documents import certified, pdfs, selectors, signing
from guichet.documents.enums import DocumentKind
from guichet.documents.models import IssuedDocument, SigningKey
from guichet.insured.models import InsuredPerson
from guichet.payments import selectors as payments_selectors
from guichet.payments.enums import SickLeaveKind
from guichet.payments.models import PaymentLine
from guichet.payments.parameters import ParameterTable

TAXED_AS_WORK_ACCIDENT = {SickLeaveKind.WORK_ACCIDENT, SickLeaveKind.OCCUPATIONAL_DISEASE}


def register_current_key() -> tuple[str, ec.EllipticCurvePrivateKey]:
    """The current key, its public part kept under its id; a reused id is a loud error."""
    key_id, private_key = signing.current_key()
    pem = signing.public_pem(private_key)
    stored, _ = SigningKey.objects.get_or_create(key_id=key_id, defaults={"public_key_pem": pem})
    if stored.public_key_pem != pem:
        raise ImproperlyConfigured(
            f"GUICHET_DOCUMENT_KEY_ID={key_id} already names another key: give the new key a new "
            "id, so that the documents signed by the old one stay verifiable."
        )
    return key_id, private_key


@transaction.atomic
def issue_document(
    *,
    member: InsuredPerson,
    kind: str,
    fields: Sequence[tuple[str, str]],
    actor: Actor,
    issued_on: dt.date | None = None,
    **details,
) -> IssuedDocument:
    """Sign the document's key fields under a new short code, keep it, and journal the issue."""
    key_id, private_key = register_current_key()
    for _attempt in range(5):
        short_code = signing.new_short_code()
        payload = signing.sign(
            kind=kind,
            fields=[("DN", short_code), *fields],
            issued_on=issued_on or timezone.localdate(),
            key_id=key_id,
            private_key=private_key,
        )
        try:
            with transaction.atomic():
                document = IssuedDocument.objects.create(
                    short_code=short_code, kind=kind, member=member, payload=payload, key_id=key_id
                )
            break
        except IntegrityError:  # 2^60 codes: a clash is all but impossible, but never fatal
            continue
    else:
        raise RuntimeError("no free short code after 5 tries")
    record_audit(
        actor=actor,
        action="document.issued",
        person_id=member.pk,
        target=document,
        kind=kind,
        short_code=short_code,
        key_id=key_id,
        **details,
    )
    return document


class RightsClosed(Exception):
    """No attestation de droits for someone whose rights are closed: it would mislead."""

    def __init__(self, person: InsuredPerson):
        super().__init__(f"rights of person {person.pk} are not open")
        self.person = person


@dataclass(frozen=True)
class IssuedFile:
    document: IssuedDocument
    content: bytes
    filename: str


@transaction.atomic
def issue_entitlement_certificate(
    *, member: InsuredPerson, beneficiary_id: int | None, actor: Actor
) -> IssuedFile:
    """The attestation de droits of the whole family (the persons whose rights are open) or of
    one person; RightsClosed when the member's, or that person's, rights are not open."""
    today = timezone.localdate()
    covered = selectors.coverage_of(holder=member, day=today)
    if not covered[0].open:
        raise RightsClosed(member)
    if beneficiary_id is None:
        chosen = [entry for entry in covered if entry.open]
    else:
        chosen = [entry for entry in covered if entry.person.pk == beneficiary_id]
        if not chosen:
            raise InsuredPerson.DoesNotExist("not of the member's family")
        if not chosen[0].open:
            raise RightsClosed(chosen[0].person)
    persons = [entry.person for entry in chosen]
    document = issue_document(
        member=member,
        kind=DocumentKind.ENTITLEMENT,
        fields=certified.entitlement_fields(fund=member.fund, persons=persons),
        actor=actor,
        issued_on=today,
        persons=[person.pk for person in persons],
    )
    content = pdfs.entitlement_certificate(
        member=member,
        covered=chosen,
        issued=document,
    )
    return IssuedFile(document, content, f"attestation-de-droits-{today:%Y-%m-%d}.pdf")


class NoDailyAllowance(Exception):
    """No daily allowance was paid for that period or year: there is nothing to attest."""


@transaction.atomic
def issue_allowance_certificate(
    *, member: InsuredPerson, start: dt.date, end: dt.date, actor: Actor
) -> IssuedFile:
    """The attestation de paiement d'IJ of a period: every allowance whose period meets it."""
    lines = payments_selectors.daily_allowances_between(member=member, start=start, end=end)
    if not lines:
        raise NoDailyAllowance
    today = timezone.localdate()
    days = sum(line.quantity for line in lines)
    total = sum((line.reimbursed for line in lines), Decimal("0.00"))
    document = issue_document(
        member=member,
        kind=DocumentKind.ALLOWANCE,
        fields=certified.allowance_fields(
            fund=member.fund, person=member, start=start, end=end, days=days, total=total
        ),
        actor=actor,
        issued_on=today,
        start=start.isoformat(),
        end=end.isoformat(),
    )
    content = pdfs.allowance_certificate(
        member=member,
        lines=lines,
        start=start,
        end=end,
        issued=document,
    )
    filename = f"attestation-indemnites-journalieres-{start:%Y-%m-%d}-{end:%Y-%m-%d}.pdf"
    return IssuedFile(document, content, filename)


def taxable_share(line: PaymentLine, params: ParameterTable) -> Decimal:
    """The percentage of an allowance subject to income tax, by the kind of its sick leave."""
    leave = line.payment.sick_leave
    work_related = leave is not None and leave.kind in TAXED_AS_WORK_ACCIDENT
    name = "work_accident" if work_related else "other"
    return params.at(f"daily_allowance.taxable_share.{name}", line.payment.paid_on)


@transaction.atomic
def issue_tax_statement(*, member: InsuredPerson, year: int, actor: Actor) -> IssuedFile:
    """The relevé fiscal of a year: the allowances paid that year and their taxable amount."""
    lines = payments_selectors.daily_allowances_paid_in(member=member, year=year)
    if not lines:
        raise NoDailyAllowance
    params = ParameterTable.load()
    rows = []
    for line in lines:
        share = taxable_share(line, params)
        rows.append((line, share, (line.reimbursed * share / 100).quantize(Decimal("0.01"))))
    paid = sum((line.reimbursed for line in lines), Decimal("0.00"))
    taxable = sum((amount for _, _, amount in rows), Decimal("0.00"))
    today = timezone.localdate()
    document = issue_document(
        member=member,
        kind=DocumentKind.TAX,
        fields=certified.tax_fields(
            fund=member.fund, person=member, year=year, paid=paid, taxable=taxable
        ),
        actor=actor,
        issued_on=today,
        year=year,
    )
    content = pdfs.tax_statement(
        member=member,
        year=year,
        rows=rows,
        issued=document,
    )
    return IssuedFile(document, content, f"releve-fiscal-{year}.pdf")
