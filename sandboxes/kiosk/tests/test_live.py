"""The kiosk as `make run` starts it: its own process, its own SQLite file, spoken to over HTTP."""

import re
import secrets

import httpx
import pytest

from sandboxes.kiosk import protocol
from sandboxes.kiosk.testing import csrf, pay_on_card_page, running_kiosk
from sandboxes.kiosk.tests.merchant import Merchant

MERCHANT_ID, SECRET = "002001000000001", "002001000000001_KEY1"


@pytest.fixture(scope="module")
def kiosk(tmp_path_factory):
    with running_kiosk(
        var_dir=tmp_path_factory.mktemp("kiosk"),
        merchant_id=MERCHANT_ID,
        secret_key=SECRET,
        retry_first_seconds="0.05",
        retry_max_seconds="0.2",
    ) as url:
        yield url


@pytest.fixture
def merchant():
    merchant = Merchant()
    yield merchant
    merchant.close()


def request_fields(merchant_url: str, **overrides) -> dict[str, str]:
    return {
        "amount": "2000", "currencyCode": "978", "merchantId": MERCHANT_ID,
        "normalReturnUrl": "http://127.0.0.1:9/retour/", "automaticResponseUrl": merchant_url,
        "transactionReference": f"T{secrets.token_hex(6).upper()}", "keyVersion": "1",
        "orderId": "ASP1", "customerId": "42", "orderChannel": "INTERNET",
    } | overrides  # fmt: skip


def start(client: httpx.Client, kiosk: str, fields: dict, secret: str = SECRET) -> httpx.Response:
    data = protocol.data_string(fields)
    return client.post(
        f"{kiosk}/paymentInit",
        data={"Data": data, "Seal": protocol.seal(data, secret), "InterfaceVersion": "HP_2.24",
              "SealAlgorithm": "HMAC-SHA-256"},
    )  # fmt: skip


def pay(client, kiosk, merchant, *, number="4100000000000100", authentication="succes", **fields):
    """Request, card, 3-D Secure: the result page."""
    card_page = client.get(
        start(client, kiosk, request_fields(merchant.url, **fields)).headers["location"]
    )
    assert card_page.status_code == 200 and "Montant de la transaction" in card_page.text
    return pay_on_card_page(client, card_page, number=number, authentication=authentication)


def test_an_accepted_payment_shows_the_receipt_and_posts_a_sealed_automatic_response(
    kiosk, merchant
):
    merchant.statuses = [500, 503]  # the portal is down at first: the kiosk retries
    with httpx.Client(base_url=kiosk) as client:
        result = pay(client, kiosk, merchant)
        assert "Votre paiement a été accepté." in result.text
        assert "Nous vous conseillons de conserver vos informations de paiement." in result.text
        assert "4100##########00" in result.text and "Numéro d'autorisation" in result.text
        assert "Imprimer le reçu du paiement" in result.text
        manual_data = re.search(r'name="Data" value="([^"]+)"', result.text).group(1)
    posts = merchant.wait_for(3)
    assert [p["_status"] for p in posts] == ["500", "503", "200"]
    automatic = posts[-1]
    assert protocol.seal_matches(automatic["Data"], automatic["Seal"], SECRET)
    fields = protocol.parse(automatic["Data"])
    assert fields["responseCode"] == "00" and fields["amount"] == "2000"
    assert fields["holderAuthentStatus"] == "SUCCESS" and len(fields["authorisationId"]) == 6
    assert manual_data.replace("&amp;", "&") == automatic["Data"]


def test_a_failed_3ds_authentication_refuses_the_payment(kiosk, merchant):
    with httpx.Client(base_url=kiosk) as client:
        result = pay(client, kiosk, merchant, authentication="echec")
    assert "refusé" in result.text and "Aucune somme n'a été débitée." in result.text
    fields = protocol.parse(merchant.wait_for(1)[0]["Data"])
    assert (fields["responseCode"], fields["holderAuthentStatus"]) == ("05", "FAILURE")


def test_the_card_number_chooses_the_bank_answer(kiosk, merchant):
    with httpx.Client(base_url=kiosk) as client:
        pay(client, kiosk, merchant, number="4100 0000 0000 0654")
    assert protocol.parse(merchant.wait_for(1)[0]["Data"])["responseCode"] == "54"


def test_a_wrong_card_is_refused_with_errors_next_to_the_fields_and_what_was_typed_kept(
    kiosk, merchant
):
    with httpx.Client(base_url=kiosk) as client:
        card_page = client.get(
            start(client, kiosk, request_fields(merchant.url)).headers["location"]
        )
        page = client.post(
            str(card_page.url),
            data={"csrfmiddlewaretoken": csrf(card_page), "number": "4100 0000 0000 0101",
                  "month": "12", "year": "2030", "cvv": "1", "valider": ""},
        )  # fmt: skip
    assert page.status_code == 400
    assert "Ce numéro de carte n" in page.text and "3 chiffres" in page.text
    assert 'value="4100 0000 0000 0101"' in page.text
    assert merchant.received == []


def test_cancel_answers_17_to_the_merchant(kiosk, merchant):
    with httpx.Client(base_url=kiosk) as client:
        card_page = client.get(
            start(client, kiosk, request_fields(merchant.url)).headers["location"]
        )
        result = client.post(
            str(card_page.url),
            data={"csrfmiddlewaretoken": csrf(card_page), "annuler": ""},
            follow_redirects=True,
        )
    assert "Vous avez annulé le paiement." in result.text
    assert protocol.parse(merchant.wait_for(1)[0]["Data"])["responseCode"] == "17"


@pytest.mark.parametrize(
    "change, code",
    [
        ({"secret": "not-the-secret"}, "34"),
        ({"fields": {"merchantId": "999999999999999"}}, "03"),
        ({"fields": {"amount": "-5"}}, "12"),
        ({"fields": {"currencyCode": "840"}}, "12"),
        ({"fields": {"keyVersion": "2"}}, "34"),
    ],
)
def test_a_forged_or_wrong_request_is_refused_before_any_card_page(kiosk, merchant, change, code):
    with httpx.Client(base_url=kiosk) as client:
        response = start(
            client, kiosk, request_fields(merchant.url, **change.get("fields", {})),
            secret=change.get("secret", SECRET),
        )  # fmt: skip
    assert response.status_code == 400 and f">{code}<" in response.text


def test_a_transaction_reference_is_used_once(kiosk, merchant):
    fields = request_fields(merchant.url)
    with httpx.Client(base_url=kiosk) as client:
        assert start(client, kiosk, fields).status_code == 302
        again = start(client, kiosk, fields)
    assert again.status_code == 400 and ">94<" in again.text


DIAGNOSTIC = "/rs-services/v2/diagnostic/getTransactionData"


def ask(kiosk: str, reference: str, secret: str = SECRET, **overrides) -> dict:
    """Sips Office JSON getTransactionData, its answer's seal checked."""
    message = {"interfaceVersion": "DR_WS_2.9", "keyVersion": "1", "merchantId": MERCHANT_ID,
               "sealAlgorithm": "HMAC-SHA-256", "transactionReference": reference} | overrides  # fmt: skip
    message["seal"] = protocol.json_seal(message, secret)
    response = httpx.post(f"{kiosk}{DIAGNOSTIC}", json=message)
    assert response.status_code == 200
    answer = response.json()
    assert answer["seal"] == protocol.json_seal(answer, SECRET)
    return answer


def test_the_diagnostic_tells_what_became_of_a_transaction_as_sips_office_does(kiosk, merchant):
    assert ask(kiosk, "NEVERSEEN") == ask(kiosk, "NEVERSEEN") | {"responseCode": "25"}
    fields = request_fields(merchant.url)
    with httpx.Client(base_url=kiosk) as client:
        card_page = client.get(start(client, kiosk, fields).headers["location"])
        on_page = ask(kiosk, fields["transactionReference"])
        assert (on_page["responseCode"], on_page["transactionStatus"]) == ("00", "PENDING")
        pay_on_card_page(client, card_page)
    answer = ask(kiosk, fields["transactionReference"])
    assert answer["responseCode"] == "00" and answer["transactionStatus"] == "TO_CAPTURE"
    assert (answer["amount"], answer["currencyCode"], answer["acquirerResponseCode"]) == (
        2000, "978", "00")  # fmt: skip
    assert answer["authorisationId"] and answer["maskedPan"].startswith("4100")
    assert "transactionResponseCode" not in answer and "merchantId" not in answer


def test_the_diagnostic_tells_a_refusal_and_an_abandon(kiosk, merchant):
    refused, cancelled = request_fields(merchant.url), request_fields(merchant.url)
    with httpx.Client(base_url=kiosk) as client:
        pay_on_card_page(
            client,
            client.get(start(client, kiosk, refused).headers["location"]),
            number="4100000000000605",
        )
        card_page = client.get(start(client, kiosk, cancelled).headers["location"])
        client.post(
            str(card_page.url), data={"csrfmiddlewaretoken": csrf(card_page), "annuler": ""}
        )
    answer = ask(kiosk, refused["transactionReference"])
    assert (answer["transactionStatus"], answer["acquirerResponseCode"]) == ("REFUSED", "05")
    answer = ask(kiosk, cancelled["transactionReference"])
    assert (answer["transactionStatus"], answer["acquirerResponseCode"]) == ("ABORTED", "17")


def test_the_diagnostic_refuses_a_bad_seal_a_wrong_key_version_or_another_merchant(kiosk):
    assert ask(kiosk, "ANY", secret="forged")["responseCode"] == "34"
    assert ask(kiosk, "ANY", keyVersion="2")["responseCode"] == "34"
    assert ask(kiosk, "ANY", merchantId="201000000000099")["responseCode"] == "03"
    assert ask(kiosk, "ANY", interfaceVersion="IR_WS_2.9")["responseCode"] == "30"
    answer = httpx.post(f"{kiosk}{DIAGNOSTIC}", content=b"not json").json()
    assert answer["responseCode"] == "30" and answer["seal"] == protocol.json_seal(answer, SECRET)


def test_a_card_page_left_idle_ends_with_97(tmp_path, merchant):
    with (
        running_kiosk(var_dir=tmp_path, idle_seconds="0.5") as kiosk,
        httpx.Client(base_url=kiosk) as client,
    ):
        location = start(client, kiosk, request_fields(merchant.url)).headers["location"]
        automatic = merchant.wait_for(1)[0]  # the kiosk's own sweep ends it, nobody asking
        assert protocol.parse(automatic["Data"])["responseCode"] == "97"
        page = client.get(location, follow_redirects=True)
    assert "Le délai de paiement est dépassé" in page.text
