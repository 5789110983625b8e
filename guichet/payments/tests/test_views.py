"""The member's payment pages: what they show, what they refuse, and their constant queries."""

import datetime as dt
import html
import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from guichet.core.models import AuditEvent
from guichet.core.tests.pages import page_words
from guichet.home.tests.test_views import session_queries
from guichet.identity.tests.factories import AccountFactory
from guichet.insured.models import Dependent
from guichet.payments.enums import CareCategory, Transmission
from guichet.payments.models import Payment
from guichet.payments.tests.factories import gp_and_pharmacy, history, load, scripted

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 22)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """Pages compute their periods from "today": pin it to the seeds' day."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.fixture
def account():
    return AccountFactory(insured_person__with_dependents=2)


@pytest.fixture
def member(account):
    return account.insured_person


@pytest.fixture
def signed_in(client, account):
    client.force_login(account)
    return client


def text(response) -> str:
    return page_words(response, tidy_punctuation=True)


def child_of(member):
    return Dependent.objects.filter(holder=member).order_by("person__birth_date").first().person


def test_mes_paiements_lists_the_last_2_months_by_month_with_empty_months(signed_in, member):
    load(
        scripted(
            member,
            [(member, CareCategory.PHARMACY, dt.date(2026, 10, 13), dt.date(2026, 10, 15), True)],
        )
    )

    response = signed_in.get(reverse("payments:list"))
    page = text(response)

    assert "NOVEMBRE 2026 Aucun paiement" in page
    assert re.search(r"OCTOBRE 2026 .*15 OCT\. Paiement à un tiers", page)
    assert "SEPTEMBRE 2026 Aucun paiement" in page
    assert (
        'value="22/09/2026"' in response.content.decode()
        and 'value="22/11/2026"' in response.content.decode()
    )
    for words in ["Vous recherchez un paiement de plus de 6 mois ?",
                  "L'ensemble de vos relevés mensuels des 27 derniers mois sont disponibles dans la rubrique Mes relevés mensuels.",
                  "Vous attendez un paiement ?", "Consulter les délais de traitement de ma CPAM",
                  "Toute la famille", "Remboursements de soins", "Indemnités journalières",
                  "Afficher plus de paiements", "Accéder à mon historique de plus de 6 mois"]:  # fmt: skip
        assert words in page


def test_afficher_plus_goes_two_months_further_back_up_to_six(signed_in, member):
    page = signed_in.get(reverse("payments:list"))
    more = unquote(html.unescape(re.search(r'href="(\?du=[^"]+)"', page.content.decode()).group(1)))
    assert "du=22/07/2026" in more

    last = signed_in.get(
        reverse("payments:list") + "?du=22/05/2026&au=22/11/2026&filtre=soins&filtre=ij"
    )

    assert "MAI 2026" in text(last)
    assert "Afficher plus de paiements" not in text(last)


def test_the_search_filters_by_beneficiary_and_kind(signed_in, member):
    child = child_of(member)
    load(scripted(member, [
        (member, CareCategory.GP, dt.date(2026, 10, 1), dt.date(2026, 10, 6), False),
        (child, CareCategory.GP, dt.date(2026, 10, 2), dt.date(2026, 10, 7), False),
    ]))  # fmt: skip
    url = (
        reverse("payments:list")
        + f"?du=01/10/2026&au=31/10/2026&beneficiaire={child.pk}&filtre=soins"
    )

    page = text(signed_in.get(url))

    assert "07 OCT." in page and "06 OCT." not in page
    assert "Aucun paiement" in text(signed_in.get(url.replace("filtre=soins", "filtre=ij")))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "du=10/11/2026&au=01/11/2026",
            "La date de fin doit être le même jour que la date de début ou après.",
        ),
        (
            "du=01/01/2026&au=01/02/2026",
            "Vous ne pouvez pas rechercher un paiement de plus de 6 mois",
        ),
        ("du=01/11/2026&au=01/12/2026", "La date de fin ne peut pas être dans le futur."),
        ("du=23/11/2026&au=23/11/2026", "La date de début ne peut pas être dans le futur."),
        ("du=31/02/2026&au=01/11/2026", "Saisissez une date au format JJ/MM/AAAA"),
        ("du=01/11/2026&au=22/11/2026", "Cochez au moins un type de paiement."),
        (
            "du=01/11/2026&au=22/11/2026&filtre=soins&beneficiaire=999999",
            "Sélectionnez un choix valide",
        ),
    ],
)
def test_a_bad_search_says_why_next_to_the_field_and_keeps_what_was_typed(
    signed_in, query, message
):
    response = signed_in.get(reverse("payments:list") + "?" + query)
    page = text(response)
    assert response.status_code == 200
    assert message in page
    assert "corrigez la recherche" in page
    assert html.escape(query.split("&")[0].split("=")[1]) in response.content.decode()


def test_a_payment_detail_explains_each_amount_and_traces_the_recovered_franchise(
    signed_in, member
):
    pharmacy, gp = gp_and_pharmacy(member)
    load([pharmacy, gp])
    gp_payment = Payment.objects.get(external_id=gp["external_id"])
    pharmacy_payment = Payment.objects.get(external_id=pharmacy["external_id"])

    page = text(signed_in.get(reverse("payments:detail", args=[gp_payment.pk])))

    for words in ["Remboursement de soins", "Consultation de médecin généraliste", "30,00 €", "70 %", "21,00 €",
                  "Participation forfaitaire de 2,00 €", "déduite de ce paiement",
                  "Récupérées sur ce paiement (soins antérieurs)", "Franchise sur les médicaments",
                  f"le {pharmacy_payment.paid_on:%d/%m/%Y}", "Vous, sur votre compte bancaire",
                  "Transmis automatiquement à votre complémentaire"]:  # fmt: skip
        assert words in page
    pharmacy_page = text(signed_in.get(reverse("payments:detail", args=[pharmacy_payment.pk])))
    assert f"récupérée le {gp_payment.paid_on:%d/%m/%Y}" in pharmacy_page
    assert "(tiers payant)" in pharmacy_page


def test_someone_elses_payment_is_a_404(signed_in):
    other = AccountFactory().insured_person
    load(gp_and_pharmacy(other))
    assert (
        signed_in.get(reverse("payments:detail", args=[Payment.objects.first().pk])).status_code
        == 404
    )


def test_home_shows_the_5_latest_payments_and_the_to_forward_notification(signed_in, member):
    load(
        history(
            member,
            start=dt.date(2026, 6, 1),
            end=dt.date(2026, 11, 20),
            transmission=Transmission.TO_FORWARD,
        )
    )
    latest = Payment.objects.filter(member=member).order_by("-paid_on", "-id")[:6]

    response = signed_in.get(reverse("home:index"))
    page, raw = text(response), response.content.decode()

    assert all(f'href="{reverse("payments:detail", args=[p.pk])}"' in raw for p in latest[:5])
    assert f'href="{reverse("payments:detail", args=[latest[5].pk])}"' not in raw
    assert (
        "Un ou plusieurs paiement(s) sont à télécharger et à transmettre à votre organisme complémentaire."
        in page
    )
    assert "1 Notification" in page


def test_downloading_the_payments_to_forward_gives_one_pdf_and_marks_them(signed_in, member):
    load(
        history(
            member,
            start=dt.date(2026, 7, 1),
            end=dt.date(2026, 11, 20),
            transmission=Transmission.TO_FORWARD,
        )
    )
    ids = list(Payment.objects.filter(member=member).values_list("pk", flat=True)[:2])
    page = text(signed_in.get(reverse("payments:to_forward")))
    assert "Télécharger mes décomptes à transmettre" in page

    response = signed_in.post(
        reverse("payments:to_forward"), {"paiement": ids, "du": "22/05/2026", "au": "22/11/2026"}
    )

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert set(Payment.objects.filter(pk__in=ids).values_list("transmission", flat=True)) == {
        Transmission.DOWNLOADED
    }
    assert AuditEvent.objects.filter(
        action="payments.downloaded_for_complementary", person_id=member.pk
    ).exists()


def test_downloading_nothing_says_so(signed_in, member):
    response = signed_in.post(
        reverse("payments:to_forward"), {"du": "22/05/2026", "au": "22/11/2026"}
    )
    assert response.status_code == 400
    assert "Cochez au moins un paiement à télécharger." in text(response)


@pytest.mark.parametrize(
    "value", ["²", "\u0663", "9" * 5000, "99999999999999999999999", "-1", "1.5", ""]
)
def test_a_posted_payment_that_cannot_be_an_id_is_nothing_chosen_not_a_crash(
    signed_in, member, value
):
    response = signed_in.post(
        reverse("payments:to_forward"),
        {"paiement": [value], "du": "22/05/2026", "au": "22/11/2026"},
    )
    assert response.status_code == 400
    assert "Cochez au moins un paiement à télécharger." in text(response)


def test_nobody_downloads_someone_elses_payments(signed_in, member):
    other = AccountFactory().insured_person
    load(
        history(
            other,
            start=dt.date(2026, 7, 1),
            end=dt.date(2026, 11, 20),
            transmission=Transmission.TO_FORWARD,
        )
    )
    ids = list(Payment.objects.values_list("pk", flat=True))
    response = signed_in.post(reverse("payments:to_forward"), {"paiement": ids})
    assert response.status_code == 400
    assert not Payment.objects.filter(transmission=Transmission.DOWNLOADED).exists()


def test_statements_list_27_months_and_each_answers_a_pdf(signed_in, member):
    page = text(signed_in.get(reverse("payments:statement_list")))
    assert page.count("(PDF)") == 27
    assert "Relevé de novembre 2026" in page and "Relevé de septembre 2024" in page
    response = signed_in.get(reverse("payments:monthly_statement", args=[2024, 9]))
    assert response["Content-Type"] == "application/pdf"
    assert signed_in.get(reverse("payments:monthly_statement", args=[2024, 8])).status_code == 404
    assert signed_in.get(reverse("payments:monthly_statement", args=[2026, 13])).status_code == 404


def test_the_other_pages_answer(signed_in, member):
    load(gp_and_pharmacy(member))
    for name, words in [("payments:annual_list", "Relevé annuel 2026"), ("payments:copayments", "Restant dû"),
                        ("payments:sick_leaves", "Aucun arrêt de travail"),
                        ("payments:work_accidents", "Aucun dossier d'accident du travail")]:  # fmt: skip
        assert words in text(signed_in.get(reverse(name)))
    assert (
        signed_in.get(reverse("payments:annual_statement", args=[2026]))["Content-Type"]
        == "application/pdf"
    )
    assert signed_in.get(reverse("payments:annual_statement", args=[2020])).status_code == 404
    assert "2026" in text(signed_in.get(reverse("payments:copayments") + "?annee=abc"))


def test_the_yearly_page_says_who_is_exempt_and_until_when(signed_in, member):
    from guichet.core.actors import SYSTEM
    from guichet.payments import services

    child = child_of(member)
    child.birth_date = dt.date(2008, 8, 29)
    child.save()
    services.record_copayment_exemption(
        person=member,
        reason="pregnancy",
        start_on=dt.date(2026, 2, 1),
        end_on=dt.date(2026, 5, 12),
        actor=SYSTEM,
    )

    page = text(signed_in.get(reverse("payments:copayments") + "?annee=2026"))

    assert "moins de 18 ans jusqu'au 28/08/2026" in page
    assert "du 01/02/2026 au 12/05/2026 : Grossesse (à partir du 6e mois)" in page


def test_an_anonymous_visitor_is_sent_to_the_login(client):
    response = client.get(reverse("payments:list"))
    assert response.status_code == 302 and "/connexion/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "args", "queries"),
    [
        # every page but the PDF also counts the header's unread messages and notifications: +1
        ("payments:list", [], 5),  # account, family, payments, count to forward
        ("payments:detail", None, 6),  # account, payment, lines, their copayments, recovered
        ("payments:statement_list", [], 3),
        ("payments:copayments", [], 6),  # account, family, parameters, exemptions, events
        ("payments:sick_leaves", [], 3),  # account, sick leaves (+1 for their payments when any)
        ("payments:work_accidents", [], 3),
        ("payments:monthly_statement", [2026, 10], 4),  # account, payments, lines, copayments
        ("payments:to_forward", [], 3),
        ("home:index", [], 5),  # account, latest payments, notification count, open overlap
    ],
)
def test_member_pages_make_the_same_queries_whatever_the_volume(
    client, django_assert_num_queries, name, args, queries
):
    for months in (1, 26):
        account = AccountFactory(insured_person__with_dependents=2)
        member = account.insured_person
        start = dt.date(2026, 11, 1) - dt.timedelta(days=30 * months)
        load(history(member, start=start, end=dt.date(2026, 11, 20), seed=months))
        client.force_login(account)
        path_args = (
            args
            if args is not None
            else [Payment.objects.filter(member=member).order_by("-paid_on").first().pk]
        )
        client.get(reverse(name, args=path_args))
        with django_assert_num_queries(queries + session_queries()):
            assert client.get(reverse(name, args=path_args)).status_code == 200


def queries_of(client, method: str, path: str, data: dict | None = None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, data or {})
    assert response.status_code == 200, response.status_code
    return len(captured)


def test_the_pdfs_make_the_same_queries_whatever_the_volume(client):
    """The annual statement and the décomptes to forward (every payment of the period ticked):
    the queries do not grow with the history nor with the payments chosen."""
    counts = []
    for months in (1, 26):
        account = AccountFactory(insured_person__with_dependents=2)
        member = account.insured_person
        start = dt.date(2026, 11, 1) - dt.timedelta(days=30 * months)
        load(history(member, start=start, end=dt.date(2026, 11, 20), seed=months,
                     transmission=Transmission.TO_FORWARD))  # fmt: skip
        client.force_login(account)
        annual = reverse("payments:annual_statement", args=[2026])
        queries_of(client, "get", annual)  # the first visit fills the caches
        chosen = list(Payment.objects.filter(member=member).values_list("pk", flat=True))
        posted = {"paiement": chosen, "du": "22/05/2026", "au": "22/11/2026"}
        counts.append(
            (
                queries_of(client, "get", annual),
                queries_of(client, "post", reverse("payments:to_forward"), posted),
            )
        )
        assert len(chosen) > 3 * months // 2
    assert counts[0] == counts[1]
