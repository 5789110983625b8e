"""The payments' PDF documents: the monthly statement, the annual statement, and the décomptes
to forward to a complementary insurer."""

import datetime as dt
from decimal import Decimal

from django.conf import settings

from guichet.core.money import format_euros
from guichet.core.pdf import Column, Document, member_document, serialized
from guichet.insured.models import InsuredPerson
from guichet.payments.enums import CopaymentStatus, PaymentKind
from guichet.payments.models import Payment
from guichet.payments.selectors import YearSummary

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]  # fmt: skip
ZERO = Decimal("0.00")
LINE_COLUMNS = [
    Column("Soins du", 0.11), Column("Bénéficiaire", 0.15), Column("Acte", 0.26),
    Column("Dépensé", 0.11, "right"), Column("Base", 0.11, "right"), Column("Taux", 0.08, "right"),
    Column("Remboursé", 0.18, "right"),
]  # fmt: skip


def minus(value: Decimal) -> str:
    """'-2,00 €' for a deduction, '0,00 €' when there is none."""
    return f"-{format_euros(value)}" if value > 0 else format_euros(ZERO)


def month_name(year: int, month: int) -> str:
    return f"{MONTHS[month - 1]} {year}"


def _rate(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",") + " %"


def _new(title: str, member: InsuredPerson, issued_on: dt.date) -> Document:
    return member_document(
        title=title,
        organisation=settings.GUICHET_ORGANISATION_NAME,
        member=member,
        issued_on=issued_on,
    )


def _payment_block(document: Document, payment: Payment, *, with_nir: bool = False) -> None:
    payee = payment.payee_name if payment.kind == PaymentKind.THIRD_PARTY else "vous"
    document.heading(
        f"Paiement du {payment.paid_on:%d/%m/%Y} — {payment.get_kind_display()} — payé à {payee}"
    )
    if with_nir:
        document.paragraph(
            f"Bénéficiaire des soins : {payment.beneficiary.full_name} "
            f"(n° {payment.beneficiary.nir_display}) — référence {payment.external_id}"
        )
    rows = []
    for line in payment.lines.all():
        label = line.act_label
        if line.professional_name:
            label += f" — {line.professional_name}"
        rows.append([
            f"{line.care_date:%d/%m/%Y}", payment.beneficiary.full_name, label,
            format_euros(line.amount_spent), format_euros(line.base), _rate(line.rate),
            format_euros(line.reimbursed),
        ])  # fmt: skip
    document.table(LINE_COLUMNS, rows)
    pairs = []
    for line in payment.lines.all():
        for copayment in line.copayments.all():
            if copayment.status == CopaymentStatus.DEDUCTED:
                pairs.append(
                    (
                        f"{copayment.get_kind_display()} déduite",
                        minus(copayment.amount),
                    )
                )
            elif copayment.status == CopaymentStatus.DEFERRED:
                pairs.append(
                    (
                        f"{copayment.get_kind_display()} non déduite, à récupérer",
                        format_euros(copayment.amount),
                    )
                )
            elif copayment.status == CopaymentStatus.RECOVERED:
                pairs.append((
                    f"{copayment.get_kind_display()} non déduite, récupérée le {copayment.settled_on:%d/%m/%Y}",
                    format_euros(copayment.amount),
                ))  # fmt: skip
            elif copayment.status == CopaymentStatus.CLAIMED:
                pairs.append((
                    f"{copayment.get_kind_display()} non déduite, réclamée par l'avis de sommes "
                    f"à payer n° {copayment.notice_reference}",
                    format_euros(copayment.amount),
                ))  # fmt: skip
            elif copayment.status == CopaymentStatus.PAID_BY_NOTICE:
                pairs.append((
                    f"{copayment.get_kind_display()} non déduite, réglée par l'avis de sommes "
                    f"à payer n° {copayment.notice_reference}",
                    format_euros(copayment.amount),
                ))  # fmt: skip
    recovered = payment.deducted - sum(
        (c.amount for line in payment.lines.all() for c in line.copayments.all()
         if c.status == CopaymentStatus.DEDUCTED),
        ZERO,
    )  # fmt: skip
    if recovered > 0:
        pairs.append(("Participations et franchises antérieures récupérées", minus(recovered)))
    pairs.append(("Montant payé", format_euros(payment.amount)))
    document.key_values(pairs)


@serialized
def monthly_statement(
    *, member: InsuredPerson, year: int, month: int, payments: list[Payment], issued_on: dt.date
) -> bytes:
    """ "Relevé mensuel": every payment of the month with each line, and the month's totals."""
    name = month_name(year, month)
    document = _new(f"Relevé mensuel de vos remboursements — {name}", member, issued_on)
    if not payments:
        document.paragraph(f"Aucun paiement en {name}.", bold=True)
        return document.finish()
    for payment in payments:
        _payment_block(document, payment)
    to_member = sum((p.amount for p in payments if p.kind != PaymentKind.THIRD_PARTY), ZERO)
    to_professionals = sum((p.amount for p in payments if p.kind == PaymentKind.THIRD_PARTY), ZERO)
    document.heading(f"Totaux de {name}")
    document.key_values([
        ("Nombre de paiements", str(len(payments))),
        ("Total remboursé", format_euros(sum((p.reimbursed for p in payments), ZERO))),
        ("Total des participations et franchises déduites", minus(sum((p.deducted for p in payments), ZERO))),
        ("Total payé à vous", format_euros(to_member)),
        ("Total payé aux professionnels de santé", format_euros(to_professionals)),
    ])  # fmt: skip
    return document.finish()


@serialized
def annual_statement(*, member: InsuredPerson, summary: YearSummary, issued_on: dt.date) -> bytes:
    """ "Relevé annuel": what the fund paid in a year, per beneficiary and kind of care."""
    document = _new(f"Relevé annuel de vos prestations — {summary.year}", member, issued_on)
    if not summary.rows:
        document.paragraph(f"Aucun paiement en {summary.year}.", bold=True)
        return document.finish()
    columns = [Column("Bénéficiaire", 0.2), Column("Nature des soins", 0.3), Column("Actes", 0.08, "right"),
               Column("Dépensé", 0.14, "right"), Column("Base", 0.14, "right"),
               Column("Remboursé", 0.14, "right")]  # fmt: skip
    document.table(
        columns,
        [[row["beneficiary"], row["category"], str(row["count"]), format_euros(row["spent"]),
          format_euros(row["base"]), format_euros(row["reimbursed"])] for row in summary.rows],
    )  # fmt: skip
    document.heading(f"Totaux de {summary.year}")
    document.key_values([
        ("Total remboursé", format_euros(summary.reimbursed)),
        ("Participations forfaitaires et franchises déduites", minus(summary.deducted)),
        ("Total payé", format_euros(summary.paid)),
        ("dont remboursements de soins à vous", format_euros(summary.by_kind.get(PaymentKind.CARE, ZERO))),
        ("dont paiements à des tiers", format_euros(summary.by_kind.get(PaymentKind.THIRD_PARTY, ZERO))),
        ("dont indemnités journalières", format_euros(summary.by_kind.get(PaymentKind.DAILY_ALLOWANCE, ZERO))),
    ])  # fmt: skip
    return document.finish()


@serialized
def statements_to_forward(
    *, member: InsuredPerson, payments: list[Payment], issued_on: dt.date
) -> bytes:
    """The décomptes the member sends to their complementary insurer, in one document."""
    document = _new("Décomptes à transmettre à votre organisme complémentaire", member, issued_on)
    insurers = sorted({p.complementary_name for p in payments if p.complementary_name})
    document.paragraph(
        "La transmission automatique de vos remboursements à votre complémentaire est bloquée. "
        "Adressez ce document à votre organisme complémentaire"
        + (f" ({', '.join(insurers)})" if insurers else "")
        + " pour qu'il vous rembourse sa part."
    )
    for payment in payments:
        _payment_block(document, payment, with_nir=True)
    document.heading("Total")
    document.key_values([
        ("Nombre de décomptes", str(len(payments))),
        ("Total remboursé par l'Assurance Maladie", format_euros(sum((p.reimbursed for p in payments), ZERO))),
    ])  # fmt: skip
    return document.finish()
