"""What each document's signed code certifies: the fields written into it, and how the
verification page reads them back (ADR 0060)."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from guichet.documents.enums import DocumentKind
from guichet.documents.signing import SignedCode, date_field, parse_date_field, plain
from guichet.insured.models import Fund, InsuredPerson

Fields = list[tuple[str, str]]


def _fund(fund: Fund) -> Fields:
    return [("OR", fund.code), ("ON", plain(fund.name))]


def _person(person: InsuredPerson) -> Fields:
    return [("NM", plain(person.full_name)), ("NE", date_field(person.birth_date))]


def entitlement_fields(*, fund: Fund, persons: list[InsuredPerson]) -> Fields:
    """The fund, then for each person covered: name, birth date, rights from (and until), CSS."""
    fields = _fund(fund)
    for person in persons:
        fields += _person(person)
        fields.append(("DD", date_field(person.rights_opened_on)))
        if person.rights_closed_on:
            fields.append(("DF", date_field(person.rights_closed_on)))
        if person.has_css:
            fields.append(("CS", date_field(person.css_until) or "1"))
    return fields


def allowance_fields(
    *, fund: Fund, person: InsuredPerson, start: dt.date, end: dt.date, days: int, total: Decimal
) -> Fields:
    return [
        *_fund(fund),
        *_person(person),
        ("PD", date_field(start)),
        ("PF", date_field(end)),
        ("NJ", str(days)),
        ("MT", f"{total:.2f}"),
    ]


def tax_fields(
    *, fund: Fund, person: InsuredPerson, year: int, paid: Decimal, taxable: Decimal
) -> Fields:
    return [
        *_fund(fund),
        *_person(person),
        ("AN", str(year)),
        ("MP", f"{paid:.2f}"),
        ("MT", f"{taxable:.2f}"),
    ]


# --- read back ------------------------------------------------------------------------------------
@dataclass
class CertifiedPerson:
    name: str
    birth_date: dt.date | None
    rights_from: dt.date | None = None
    rights_until: dt.date | None = None
    css: bool = False
    css_until: dt.date | None = None


@dataclass
class Certified:
    """What a verified code says, in the verification page's terms."""

    kind_label: str
    short_code: str
    issued_on: dt.date
    fund_code: str
    fund_name: str
    persons: list[CertifiedPerson] = field(default_factory=list)
    period: tuple[dt.date | None, dt.date | None] | None = None
    days: int | None = None
    year: int | None = None
    paid: Decimal | None = None
    amount: Decimal | None = None

    @property
    def fund_code_display(self) -> str:
        """'01 011 1411', as Fund.code_display."""
        code = self.fund_code
        return f"{code[:2]} {code[2:5]} {code[5:]}"


def describe(code: SignedCode) -> Certified:
    """The certified facts of a code whose signature was checked."""
    kind = DocumentKind(code.kind).label if code.kind in DocumentKind.values else code.kind
    certified = Certified(
        kind_label=kind,
        short_code=code.value("DN"),
        issued_on=code.issued_on,
        fund_code=code.value("OR"),
        fund_name=code.value("ON"),
    )
    person: CertifiedPerson | None = None
    for di, value in code.fields:
        if di == "NM":
            person = CertifiedPerson(name=value, birth_date=None)
            certified.persons.append(person)
        elif person is not None and di == "NE":
            person.birth_date = parse_date_field(value)
        elif person is not None and di == "DD":
            person.rights_from = parse_date_field(value)
        elif person is not None and di == "DF":
            person.rights_until = parse_date_field(value)
        elif person is not None and di == "CS":
            person.css = True
            person.css_until = parse_date_field(value) if value != "1" else None
    if code.value("PD"):
        certified.period = (parse_date_field(code.value("PD")), parse_date_field(code.value("PF")))
        certified.days = int(code.value("NJ") or 0)
    if code.value("AN"):
        certified.year = int(code.value("AN"))
    if code.value("MP"):
        certified.paid = Decimal(code.value("MP"))
    if code.value("MT"):
        certified.amount = Decimal(code.value("MT"))
    return certified
