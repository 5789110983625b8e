"""The documents' PDFs, drawn with core.pdf (ADR 0041), each ending with its verification block:
the QR code of the signed code, the short code and the address of the verification page."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from reportlab.lib.units import mm

from guichet.core.money import format_euros
from guichet.core.pdf import BOLD, MARGIN, REGULAR, Column, Document, member_document, serialized
from guichet.documents.models import IssuedDocument
from guichet.documents.selectors import Covered
from guichet.documents.signing import format_short_code, parse
from guichet.insured.models import InsuredPerson
from guichet.payments.models import PaymentLine

QR_SIZE = 36 * mm
ENTITLEMENT_COLUMNS = [
    Column("Bénéficiaire", 0.19), Column("Né(e) le", 0.1), Column("N° de sécurité sociale", 0.22),
    Column("Qualité", 0.18), Column("Droits ouverts le", 0.16), Column("Fin des droits", 0.15),
]  # fmt: skip
CARE_COLUMNS = [
    Column("Bénéficiaire", 0.19),
    Column("Médecin traitant", 0.4),
    Column("Exonérations", 0.41),
]
ALLOWANCE_COLUMNS = [
    Column("Période indemnisée", 0.27), Column("Arrêt", 0.19), Column("Jours", 0.08, "right"),
    Column("Par jour", 0.14, "right"), Column("Payé le", 0.14, "right"),
    Column("Montant", 0.18, "right"),
]  # fmt: skip
TAX_COLUMNS = [
    Column("Payé le", 0.12), Column("Période", 0.26), Column("Arrêt", 0.18),
    Column("Montant versé", 0.15, "right"), Column("Part imposable", 0.15, "right"),
    Column("Imposable", 0.14, "right"),
]  # fmt: skip


def verification_url() -> str:
    return settings.GUICHET_BASE_URL + reverse("documents:verify")


def _verification_block(document: Document, issued: IssuedDocument) -> None:
    """The QR code at the left; how to check the document at its right."""
    document.ensure(QR_SIZE + 12 * mm)
    document.heading("Vérification de ce document")
    top = document.y
    document.qr_code(issued.payload, size=QR_SIZE)
    text_x = MARGIN + QR_SIZE + 8 * mm
    lines = [
        ("Ce document porte un code signé par votre caisse.", False),
        ("Pour vérifier qu'il est authentique, sans appeler la caisse :", False),
        ("scannez le code ou saisissez le code de vérification", False),
        (format_short_code(issued.short_code), True),
        ("sur la page « Vérifier une attestation » :", False),
        (verification_url(), True),
    ]
    y = top - 4 * mm
    for line, bold in lines:
        document.canvas.setFont(BOLD if bold else REGULAR, 11 if bold else 9)
        document.canvas.drawString(text_x, y, line)
        y -= 6 * mm
    document.y = min(top - QR_SIZE, y) - 4 * mm


def issued_on(issued: IssuedDocument) -> dt.date:
    """The day the signed code says the document was issued."""
    return parse(issued.payload)[1].issued_on


def _money(value: Decimal) -> str:
    return format_euros(value)


def _until(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "sans date de fin"


def _doctor(person: InsuredPerson) -> str:
    if not (person.referring_doctor_name and person.referring_doctor_declared_on):
        return "aucun médecin traitant déclaré"
    return (
        f"{person.referring_doctor_name} ({person.referring_doctor_specialty}), déclaré le "
        f"{person.referring_doctor_declared_on:%d/%m/%Y}"
    )


def _exemptions(entry: Covered) -> str:
    return "\n".join(entry.exemptions) if entry.exemptions else "aucune"  # one a line


@serialized
def entitlement_certificate(
    *,
    member: InsuredPerson,
    covered: list[Covered],
    issued: IssuedDocument,
) -> bytes:
    """ "Attestation de droits": the fund, each person covered, their rights, exemptions and
    referring doctor, the date of issue and the verification block."""
    document = member_document(
        title="Attestation de droits à l'assurance maladie",
        member=member,
        issued_on=issued_on(issued),
    )
    fund = member.fund
    document.paragraph(
        f"{fund.name} (code organisme {fund.code_display}) atteste que les personnes ci-dessous "
        f"ont des droits ouverts à l'Assurance Maladie ({member.get_regime_display().lower()}) "
        f"à la date du {issued_on(issued):%d/%m/%Y}."
    )
    document.heading("Personnes couvertes")
    document.table(
        ENTITLEMENT_COLUMNS,
        [
            [
                entry.person.full_name, f"{entry.person.birth_date:%d/%m/%Y}",
                entry.person.nir_display, entry.quality,
                f"{entry.person.rights_opened_on:%d/%m/%Y}", _until(entry.person.rights_closed_on),
            ]
            for entry in covered
        ],
    )  # fmt: skip
    document.heading("Médecin traitant et exonérations")
    document.table(
        CARE_COLUMNS, [[e.person.full_name, _doctor(e.person), _exemptions(e)] for e in covered]
    )
    document.paragraph(
        "Cette attestation justifie de vos droits et de votre déclaration d'un médecin traitant. "
        "Votre carte Vitale atteste aussi de vos droits : ne la présentez pas à la place de ce "
        "document si un professionnel vous le demande sur papier.",
        size=8.5,
    )
    _verification_block(document, issued)
    return document.finish()


def _period(line: PaymentLine) -> str:
    end = line.period_end or line.care_date
    return f"du {line.care_date:%d/%m/%Y} au {end:%d/%m/%Y}"


def _leave(line: PaymentLine) -> str:
    leave = line.payment.sick_leave
    return leave.get_kind_display() if leave else "Arrêt de travail"


@serialized
def allowance_certificate(
    *,
    member: InsuredPerson,
    lines: list[PaymentLine],
    start: dt.date,
    end: dt.date,
    issued: IssuedDocument,
) -> bytes:
    """ "Attestation de paiement d'indemnités journalières" for a period: each allowance paid."""
    document = member_document(
        title="Attestation de paiement d'indemnités journalières",
        member=member,
        issued_on=issued_on(issued),
    )
    days = sum(line.quantity for line in lines)
    total = sum((line.reimbursed for line in lines), Decimal("0.00"))
    document.paragraph(
        f"{member.fund.name} atteste avoir versé à {member.full_name} "
        f"(n° {member.nir_display}) les indemnités journalières ci-dessous, pour la période du "
        f"{start:%d/%m/%Y} au {end:%d/%m/%Y}."
    )
    document.table(
        ALLOWANCE_COLUMNS,
        [
            [
                _period(line), _leave(line), str(line.quantity),
                _money(line.base / line.quantity if line.quantity else line.base),
                f"{line.payment.paid_on:%d/%m/%Y}", _money(line.reimbursed),
            ]
            for line in lines
        ],
    )  # fmt: skip
    document.heading("Total de la période")
    document.key_values([("Nombre de jours indemnisés", str(days)), ("Total versé", _money(total))])
    _verification_block(document, issued)
    return document.finish()


@serialized
def tax_statement(
    *,
    member: InsuredPerson,
    year: int,
    rows: list[tuple[PaymentLine, Decimal, Decimal]],
    issued: IssuedDocument,
) -> bytes:
    """ "Relevé fiscal": the daily allowances paid in a year and their taxable amount."""
    document = member_document(
        title=f"Relevé fiscal — indemnités journalières {year}",
        member=member,
        issued_on=issued_on(issued),
    )
    paid = sum((line.reimbursed for line, _, _ in rows), Decimal("0.00"))
    taxable = sum((amount for _, _, amount in rows), Decimal("0.00"))
    document.paragraph(
        f"Montant des indemnités journalières versées en {year} à {member.full_name} "
        f"(n° {member.nir_display}) à déclarer à l'administration fiscale. Les indemnités des "
        "accidents du travail et maladies professionnelles ne sont imposables que pour une part."
    )
    document.table(
        TAX_COLUMNS,
        [
            [
                f"{line.payment.paid_on:%d/%m/%Y}", _period(line), _leave(line),
                _money(line.reimbursed), f"{share:.0f} %", _money(amount),
            ]
            for line, share, amount in rows
        ],
    )  # fmt: skip
    document.heading(f"Totaux de {year}")
    document.key_values(
        [
            ("Total des indemnités journalières versées", _money(paid)),
            ("Montant imposable à déclarer", _money(taxable)),
        ]
    )
    _verification_block(document, issued)
    return document.finish()
