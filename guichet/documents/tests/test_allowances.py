"""The attestation de paiement d'IJ of a period and the relevé fiscal of a year, from the payments'
daily allowances; members without any are told so."""

import datetime as dt
import random
from decimal import Decimal

import pytest

from guichet.core.models import AuditEvent
from guichet.core.money import format_euros
from guichet.documents import selectors, signing
from guichet.documents.models import IssuedDocument
from guichet.documents.tests.helpers import decode_2d_codes, read
from guichet.documents.tests.test_entitlement import text
from guichet.payments.models import PaymentLine
from guichet.payments.parameters import ParameterTable
from guichet.payments.simulator import Simulator
from guichet.payments.tests.factories import family_of, load

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("today")]  # 22/11/2026
ALLOWANCE = "/mes-demarches/attestation-indemnites-journalieres/"
TAX = "/mes-demarches/releve-fiscal/"


def sick_leave(holder, start, days, kind="illness", external_id="AT-1"):
    """A sick leave and its daily allowances, paid through the payments' import."""
    simulator = Simulator(ParameterTable.defaults(), random.Random(3))
    family = family_of(holder)
    record, cares = simulator.sick_leave(
        family, start, days, external_id=external_id, kind=kind, today=dt.date(2026, 11, 22)
    )
    load([record], "sick_leaves")
    load(simulator.liquidate(family, cares))


def euros(value) -> str:
    return format_euros(value).replace("\u00a0", " ")


def test_a_member_without_any_daily_allowance_is_told_so_on_both_pages(signed_in):
    for url, what in ((ALLOWANCE, "attestation de paiement"), (TAX, "relevé fiscal")):
        response = signed_in.get(url)
        page = text(response)
        assert "Vous n'avez perçu aucune indemnité journalière." in page
        assert f"Aucune {what} ne peut donc vous être délivrée." in page
        assert signed_in.post(url, {"du": "01/10/2026", "au": "22/11/2026", "annee": "2026"})[
            "Content-Type"
        ].startswith("text/html")
    assert not IssuedDocument.objects.exists()


def test_the_attestation_lists_each_allowance_of_the_period_and_its_total(signed_in, member):
    sick_leave(member, dt.date(2026, 6, 1), 40)
    lines = list(PaymentLine.objects.filter(payment__member=member).order_by("care_date"))
    assert len(lines) == 3  # after 3 waiting days, paid every 14 days

    response = signed_in.post(ALLOWANCE, {"du": "01/06/2026", "au": "31/07/2026"})

    assert response["Content-Type"] == "application/pdf"
    pdf = read(response.content)
    assert "Attestation de paiement d'indemnités journalières" in pdf
    assert member.full_name in pdf and member.nir_display in pdf
    assert "pour la période du 01/06/2026 au 31/07/2026" in pdf
    for line in lines:
        assert f"du {line.care_date:%d/%m/%Y} au {line.period_end:%d/%m/%Y}" in pdf
        assert euros(line.reimbursed) in pdf and f"{line.payment.paid_on:%d/%m/%Y}" in pdf
    total = sum(line.reimbursed for line in lines)
    assert f"Nombre de jours indemnisés {sum(line.quantity for line in lines)}" in pdf
    assert f"Total versé {euros(total)}" in pdf
    [scanned] = decode_2d_codes(response.content)
    verification = selectors.verify_payload(text=scanned)
    assert verification.authentic and verification.code.kind == "G2"
    assert verification.code.value("MT") == f"{total:.2f}"
    assert (
        verification.code.value("PD") == "01062026" and verification.code.value("PF") == "31072026"
    )
    event = AuditEvent.objects.get(action="document.issued")
    assert event.details["start"] == "2026-06-01" and event.details["end"] == "2026-07-31"


def test_a_period_without_allowance_says_so_and_keeps_the_dates(signed_in, member):
    sick_leave(member, dt.date(2026, 6, 1), 20)

    response = signed_in.post(ALLOWANCE, {"du": "01/09/2026", "au": "31/10/2026"})

    assert response.status_code == 400
    assert (
        "Aucune indemnité journalière ne vous a été versée pour la période du 01/09/2026 au "
        "31/10/2026." in text(response)
    )
    assert 'value="01/09/2026"' in response.content.decode()


@pytest.mark.parametrize(
    ("du", "au", "field", "message"),
    [
        ("01/10/2026", "01/09/2026", "au", "La date de fin doit être le même jour que la date de début ou après."),
        ("01/08/2024", "01/09/2026", "du", "L'historique conservé commence le 01/09/2024"),
        ("01/10/2026", "01/12/2026", "au", "La date de fin ne peut pas être dans le futur."),
        ("31/02/2026", "01/03/2026", "du", "Saisissez une date au format JJ/MM/AAAA"),
        ("", "01/03/2026", "du", "Ce champ est obligatoire."),
    ],
)  # fmt: skip
def test_a_bad_period_is_refused_next_to_its_field(signed_in, member, du, au, field, message):
    sick_leave(member, dt.date(2026, 6, 1), 20)

    response = signed_in.post(ALLOWANCE, {"du": du, "au": au})

    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_{field}_error"' in page and message in text(response)
    assert not IssuedDocument.objects.exists()


def test_the_tax_statement_counts_half_of_a_work_accidents_allowances(signed_in, member):
    sick_leave(member, dt.date(2025, 3, 3), 20, external_id="MAL-1")
    sick_leave(member, dt.date(2025, 9, 1), 20, kind="work_accident", external_id="AT-2")
    lines = list(PaymentLine.objects.filter(payment__member=member).select_related("payment"))
    illness = sum(li.reimbursed for li in lines if li.payment.sick_leave.kind == "illness")
    accident = sum(li.reimbursed for li in lines if li.payment.sick_leave.kind == "work_accident")
    assert illness > 0 and accident > 0

    response = signed_in.post(TAX, {"annee": "2025"})

    pdf = read(response.content)
    assert response["Content-Disposition"] == 'attachment; filename="releve-fiscal-2025.pdf"'
    assert "Relevé fiscal — indemnités journalières 2025" in pdf
    assert "100 %" in pdf and "50 %" in pdf
    share = {"illness": Decimal(100), "work_accident": Decimal(50)}
    expected = sum(
        (li.reimbursed * share[li.payment.sick_leave.kind] / 100).quantize(Decimal("0.01"))
        for li in lines
    )
    assert f"Total des indemnités journalières versées {euros(illness + accident)}" in pdf
    assert f"Montant imposable à déclarer {euros(expected)}" in pdf
    [scanned] = decode_2d_codes(response.content)
    code = selectors.verify_payload(text=scanned).code
    assert (
        code.kind == "G3" and code.value("AN") == "2025" and code.value("MT") == f"{expected:.2f}"
    )


def test_a_year_without_allowance_is_refused_next_to_the_year(signed_in, member):
    sick_leave(member, dt.date(2025, 3, 3), 20)

    response = signed_in.post(TAX, {"annee": "2026"})

    assert response.status_code == 400
    assert "Aucune indemnité journalière ne vous a été versée en 2026" in text(response)


def test_a_year_out_of_the_list_is_refused(signed_in, member):
    sick_leave(member, dt.date(2025, 3, 3), 20)

    response = signed_in.post(TAX, {"annee": "2019"})

    assert response.status_code == 400
    assert "Choisissez une année entre 2024 et 2026." in text(response)


def test_the_tax_year_offered_first_is_last_year(signed_in, member):
    sick_leave(member, dt.date(2025, 3, 3), 20)

    page = signed_in.get(TAX).content.decode()

    assert '<option value="2025" selected>2025</option>' in page


def test_a_verified_allowance_attestation_shows_its_period_and_total(client, member):
    sick_leave(member, dt.date(2026, 6, 1), 20)
    client.force_login(member.account)
    client.post(ALLOWANCE, {"du": "01/06/2026", "au": "30/06/2026"})
    client.logout()
    document = IssuedDocument.objects.get()

    page = text(client.post("/verifier-une-attestation/", {"code": document.short_code}))

    total = signing.parse(document.payload)[1].value("MT")
    assert "Attestation authentique." in page
    assert "Attestation de paiement d'indemnités journalières" in page
    assert "du 01/06/2026 au 30/06/2026" in page
    assert euros(Decimal(total)) in page
    assert "ticket modérateur" not in page  # the note is the attestation de droits' only


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # each: the account, and the header's unread messages
        ("/mes-demarches/attestation-de-droits/", 6),  # + 3: family links, both exemptions
        (ALLOWANCE, 3),  # + any daily allowance
        (TAX, 3),
        ("/mes-demarches/", 2),
    ],
)
def test_the_document_pages_make_the_same_queries_whatever_the_family_or_history(
    client, django_assert_num_queries, url, queries
):
    from guichet.home.tests.test_views import session_queries
    from guichet.identity.tests.factories import AccountFactory

    for children, leaves in ((0, 0), (3, 2)):
        account = AccountFactory(insured_person__with_dependents=children)
        for index in range(leaves):
            sick_leave(
                account.insured_person, dt.date(2026, 3 + 3 * index, 2), 20, external_id=f"L{index}"
            )
        client.force_login(account)
        client.get(url)
        with django_assert_num_queries(queries + session_queries()):
            assert client.get(url).status_code == 200


def test_the_documents_pdfs_make_the_same_queries_whatever_the_family_or_history(client):
    """Each PDF a member asks for (the family's attestation de droits, the IJ attestation and
    the relevé fiscal over every sick leave): the queries do not grow with what they list."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from guichet.identity.tests.factories import AccountFactory

    asked = [
        ("/mes-demarches/attestation-de-droits/", {"beneficiaire": "famille"}),
        (ALLOWANCE, {"du": "01/01/2026", "au": "31/10/2026"}),
        (TAX, {"annee": "2026"}),
    ]
    counts = []
    for children, leaves in ((0, 1), (3, 3)):
        account = AccountFactory(insured_person__with_dependents=children)
        for index in range(leaves):
            sick_leave(
                account.insured_person,
                dt.date(2026, 1 + 3 * index, 2),
                20,
                external_id=f"L{children}-{index}",
            )
        client.force_login(account)
        for url, posted in asked:  # the first of each fills the caches (the signing key…)
            client.post(url, posted)
        sizes = []
        for url, posted in asked:
            with CaptureQueriesContext(connection) as captured:
                response = client.post(url, posted)
            assert response["Content-Type"] == "application/pdf", url
            sizes.append(len(captured))
        counts.append(sizes)
    assert counts[0] == counts[1]
