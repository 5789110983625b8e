"""The PDFs, read back with pypdf: the fund, the member, each line and the right totals."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from guichet.core.money import format_euros
from guichet.insured.tests.factories import InsuredPersonFactory
from guichet.payments import documents, selectors
from guichet.payments.enums import PaymentKind
from guichet.payments.tests.factories import history, load

pytestmark = pytest.mark.django_db
ISSUED = dt.date(2026, 11, 22)


def read(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"[\s\u00a0]+", " ", "\n".join(page.extract_text() for page in reader.pages))


def euros(value: Decimal) -> str:
    return format_euros(value).replace("\u00a0", " ")


@pytest.fixture
def member():
    return InsuredPersonFactory(with_dependents=2, first_names="Marina", birth_name="LATOURNERIE")


def month_payments(member, year=2026, month=10):
    start = dt.date(year, month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return selectors.payments_with_lines(member=member, start=start, end=end)


def test_a_monthly_statement_has_the_fund_the_member_every_line_and_the_totals(member):
    load(history(member, start=dt.date(2026, 8, 1), end=dt.date(2026, 11, 20)))
    payments = month_payments(member)
    assert len(payments) >= 3

    content = documents.monthly_statement(
        member=member, year=2026, month=10, payments=payments, issued_on=ISSUED
    )
    text = read(content)

    assert content.startswith(b"%PDF") and b"/FontFile2" in content  # the TrueType font is embedded
    assert "Relevé mensuel de vos remboursements — octobre 2026" in text
    assert member.fund.name in text and "MARINA LATOURNERIE" in text and member.nir_display in text
    assert "Édité le 22/11/2026" in text
    for payment in payments:
        assert f"Paiement du {payment.paid_on:%d/%m/%Y} — {payment.get_kind_display()}" in text
        for line in payment.lines.all():
            assert f"{line.care_date:%d/%m/%Y}" in text and euros(line.reimbursed) in text
    assert f"Nombre de paiements {len(payments)}" in text
    assert f"Total remboursé {euros(sum(p.reimbursed for p in payments))}" in text
    to_member = sum(p.amount for p in payments if p.kind != PaymentKind.THIRD_PARTY)
    assert f"Total payé à vous {euros(to_member)}" in text
    assert re.search(r"Page 1 sur \d", text)


def test_a_month_without_payments_says_so(member):
    text = read(
        documents.monthly_statement(
            member=member, year=2025, month=2, payments=[], issued_on=ISSUED
        )
    )
    assert "Aucun paiement en février 2025." in text


def test_a_long_month_spreads_over_pages_with_numbers(member):
    load(history(member, start=dt.date(2024, 9, 1), end=dt.date(2026, 11, 20)))
    payments = selectors.payments_with_lines(
        member=member, start=dt.date(2024, 9, 1), end=dt.date(2026, 11, 20)
    )

    reader = PdfReader(
        io.BytesIO(
            documents.statements_to_forward(member=member, payments=payments, issued_on=ISSUED)
        )
    )

    assert len(reader.pages) > 2
    assert f"Page {len(reader.pages)} sur {len(reader.pages)}" in reader.pages[-1].extract_text()
    assert f"Nombre de décomptes {len(payments)}" in read(
        documents.statements_to_forward(member=member, payments=payments, issued_on=ISSUED)
    )


def test_an_annual_statement_sums_the_year(member):
    load(history(member, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)))
    summary = selectors.annual_summary(member=member, year=2025)

    text = read(documents.annual_statement(member=member, summary=summary, issued_on=ISSUED))

    assert "Relevé annuel de vos prestations — 2025" in text
    assert f"Total payé {euros(summary.paid)}" in text
    assert summary.paid == summary.reimbursed - summary.deducted > 0
    assert sum(row["reimbursed"] for row in summary.rows) == summary.reimbursed


def test_a_month_of_tiers_payant_only_deducts_nothing_and_says_zero(member):
    from guichet.payments.enums import CareCategory
    from guichet.payments.tests.factories import scripted

    day = dt.date(2026, 10, 5)
    load(scripted(member, [(member, CareCategory.PHARMACY, day, day + dt.timedelta(days=2), True)]))

    text = read(
        documents.monthly_statement(
            member=member, year=2026, month=10, payments=month_payments(member), issued_on=ISSUED
        )
    )

    assert "Total des participations et franchises déduites 0,00 €" in text
    assert "-0,00" not in text
    assert "non déduite, à récupérer" in text
