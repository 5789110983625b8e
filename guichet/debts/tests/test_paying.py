"""The member's screens of seed 000 and the rules of seed 001."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from guichet.core.actors import SYSTEM
from guichet.core.tests.pages import page_words
from guichet.debts import services
from guichet.debts.enums import PaymentStatus
from guichet.debts.models import DebtPayment
from guichet.identity.tests.factories import AccountFactory

START = reverse("debts:start")


def text(response) -> str:
    return page_words(response, tidy_punctuation=True)


@pytest.fixture
def signed_in(client, account):
    client.force_login(account)
    return client


def boxes(reference: str) -> dict[str, str]:
    return {"digits_1": reference[0:4], "digits_2": reference[4:8], "digits_3": reference[8:12],
            "digits_4": reference[12:16], "letter": reference[16:]}  # fmt: skip


@pytest.fixture
def reachable_kiosk(settings, live_server):
    """Any page that answers stands for the paypage when only its reachability is checked."""
    settings.SIPS_PAYPAGE_URL = f"{live_server.url}/sante/"


def test_payer_une_creance_is_linked_from_mes_paiements(signed_in, notices):
    page = signed_in.get(reverse("payments:list")).content.decode()
    assert f'href="{START}"' in page and "Payer une créance" in page


def test_the_right_reference_leads_to_the_notice_and_the_other_lines(signed_in, notices):
    page = signed_in.get(START)
    assert "Où trouver la référence de votre avis ?" in text(page)
    response = signed_in.post(START, boxes("3811701200010075W"))
    assert response.url == reverse("debts:pay", args=["3811701200010075W"])
    page = text(signed_in.get(response.url))
    for words in ("Créance (Référence : 3811701200010075W)", "Caisse gestionnaire CPAM de l'Ain",
                  "Montant initial dû 50,00 €", "Montant restant dû 12,50 €",
                  "Autres références de courrier dont vous êtes redevable", "4 références trouvé(es)",
                  "1 références sélectionné(es)", "Solde total à payer : 12,50 €",
                  "Vous pouvez payer entre 16€ et 50€ par paiement", "Abandonner", "Payer",
                  "20/02/2014", "26,90 €"):  # fmt: skip
        assert words in page


def test_the_whole_reference_may_be_pasted_in_the_first_box(signed_in, notices):
    response = signed_in.post(START, {"digits_1": "3811 7012 0001 0075 w"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "typed, message",
    [
        ({}, "Saisissez la référence de votre avis"),
        (boxes("3811701200010075F"), "la lettre ne correspond pas aux chiffres"),
        (boxes("381170120001007") , "16 chiffres puis 1 lettre"),
        (boxes("1111111111111111" + "ABCDEFGHJKLMNPQRSTVWXYZ"[1111111111111111 % 23]), "Aucun avis ne porte cette référence"),
    ],
)  # fmt: skip
def test_a_wrong_reference_is_explained_next_to_the_boxes_and_kept(
    signed_in, notices, typed, message
):
    response = signed_in.post(START, typed)
    assert response.status_code == 200 and message in text(response)
    for value in filter(None, typed.values()):
        assert f'value="{value}"' in response.content.decode()


def test_a_wrong_letter_is_caught_before_any_lookup(signed_in, notices):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = signed_in.post(START, boxes("3811701200010075F"))
    assert "la lettre ne correspond pas" in text(response)
    lookups = [
        q for q in queries.captured_queries if '"debts_paymentnotice"."reference" =' in q["sql"]
    ]
    assert lookups == []  # the page lists the member's own notices, but never looks this one up


def test_someone_elses_notice_is_refused(client, notices, fund):
    client.force_login(AccountFactory(insured_person__fund=fund))
    response = client.post(START, boxes(notices[0].reference))
    assert "n'est pas à votre nom" in text(response)
    page = client.get(reverse("debts:pay", args=[notices[0].reference]), follow=True)
    assert "n'est pas à votre nom" in text(page)


def test_a_notice_already_paid_is_refused(signed_in, member, notices):
    notice = services.issue_notice(member=member, amount=Decimal("40.00"), remaining=Decimal("0"),
                                   issued_on=notices[0].issued_on, actor=SYSTEM)  # fmt: skip
    assert "déjà entièrement payé" in text(signed_in.post(START, boxes(notice.reference)))


@pytest.mark.parametrize("extra", ["0.00", "100.00"])
def test_outside_the_50_to_150_window_online_payment_is_refused_with_the_reason(
    signed_in, member, notices, extra
):
    if extra != "0.00":
        services.issue_notice(member=member, amount=Decimal(extra), issued_on=notices[0].issued_on,
                              actor=SYSTEM)  # fmt: skip
    else:
        notices[0].remaining_amount = Decimal("0.00")  # 29,46 € left: below 50 €
        notices[0].save()
    page = text(signed_in.post(START, boxes(notices[1].reference)))
    assert "compris entre 50,00 € et 150,00 €" in page


@pytest.mark.parametrize(
    "amount, chosen, message",
    [
        ("", [0, 2], "Ce champ est obligatoire."),
        ("vingt", [0, 2], "Saisissez un montant en euros"),
        ("15,99", [0, 2], "entre 16,00 € et 39,40 €"),
        ("50,01", [0, 1, 2, 3], "entre 16,00 € et 50,00 €"),
        ("7", [1], "Le montant du paiement dépasse"),
        ("20", [], "Cochez au moins une référence"),
    ],
)
def test_amount_out_of_bounds_or_above_what_is_due_is_refused(
    signed_in, notices, reachable_kiosk, amount, chosen, message
):
    url = reverse("debts:pay", args=[notices[0].reference])
    response = signed_in.post(url, {"amount": amount, "notices": [notices[i].pk for i in chosen]})
    assert response.status_code == 200 and message in text(response)
    assert f'value="{amount}"' in response.content.decode() or not amount
    assert not DebtPayment.objects.exists()


def test_the_minimum_never_exceeds_what_remains_due(signed_in, notices, reachable_kiosk):
    """6,60 € due on one line: paying 6,60 € is allowed though below 16 €."""
    url = reverse("debts:pay", args=[notices[1].reference])
    response = signed_in.post(url, {"amount": "6,60", "notices": [notices[1].pk]})
    assert response.status_code == 200 and "Vers le kiosque de paiement" in text(response)


def test_payer_opens_one_transaction_spread_oldest_first_and_sends_a_sealed_request(
    signed_in, member, notices, reachable_kiosk, settings
):
    url = reverse("debts:pay", args=[notices[2].reference])
    chosen = [notices[3].pk, notices[2].pk, notices[1].pk]
    response = signed_in.post(url, {"amount": "20,00", "notices": chosen})
    payment = DebtPayment.objects.get()
    assert payment.status == PaymentStatus.INITIATED and payment.amount == Decimal("20.00")
    spread = {a.notice.reference: a.amount for a in payment.allocations.all()}
    assert spread == {
        notices[1].reference: Decimal("6.60"),  # 2015
        notices[2].reference: Decimal("12.50"),  # 2016
        notices[3].reference: Decimal("0.90"),  # 2020: the rest
    }
    page = response.content.decode()
    assert f'action="{settings.SIPS_PAYPAGE_URL}"' in page
    data = html.unescape(re.search(r'name="Data" value="([^"]+)"', page).group(1))
    assert "amount=2000|currencyCode=978|merchantId=002001000000001" in data
    assert f"transactionReference={payment.reference}" in data


def test_a_kiosk_that_does_not_answer_records_nothing(signed_in, notices, settings):
    settings.SIPS_PAYPAGE_URL = "http://127.0.0.1:9/paymentInit"  # nobody listens there
    url = reverse("debts:pay", args=[notices[0].reference])
    response = signed_in.post(url, {"amount": "20", "notices": [notices[0].pk]})
    assert "Le kiosque de paiement ne répond pas" in text(response)
    assert not DebtPayment.objects.exists()


def test_the_pages_answer_in_the_same_number_of_queries_whatever_the_notices(
    signed_in, member, notices, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts() -> tuple[int, int]:
        sizes = []
        for url in (START, reverse("debts:pay", args=[notices[0].reference])):
            with CaptureQueriesContext(connection) as queries:
                assert signed_in.get(url).status_code == 200
            sizes.append(len(queries))
        return sizes[0], sizes[1]

    counts()  # the first visit fills caches (the session, the navigation)
    before = counts()
    for _ in range(6):
        services.issue_notice(member=member, amount=Decimal("5.00"), issued_on=notices[0].issued_on,
                              actor=SYSTEM)  # fmt: skip
    assert counts() == before


@pytest.mark.parametrize(
    "posted",
    [
        {"notices": ["²"], "amount": "20"},
        {"notices": ["\u0663"], "amount": "20"},
        {"notices": ["9" * 5000], "amount": "20"},
        {"notices": [""], "amount": ""},
        {"amount": "9e99999"},
        {"amount": "1e-99999"},
        {"amount": "NaN"},
        {"amount": "-Infinity"},
    ],
)
def test_any_posted_value_on_the_pay_page_is_an_error_next_to_the_field_never_a_crash(
    signed_in, notices, posted
):
    pay = reverse("debts:pay", args=[notices[2].reference])
    response = signed_in.post(pay, posted)
    assert response.status_code in (200, 400)
    assert "Erreur" in html.unescape(response.content.decode())
    assert not DebtPayment.objects.exists()
