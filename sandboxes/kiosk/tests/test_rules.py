"""The kiosk's own rules, without a server: cards, simulation codes, backoff and delivery."""

import datetime as dt
import time

import pytest

from sandboxes.kiosk import cards, protocol
from sandboxes.kiosk.delivery import Deliverer
from sandboxes.kiosk.store import Store
from sandboxes.kiosk.tests.merchant import Merchant

TODAY = dt.date(2026, 11, 22)


def test_the_seal_is_the_published_test_vector():
    data = ("amount=2000|currencyCode=978|merchantId=002001000000002|normalReturnUrl=https://example.org/retour|"
            "automaticResponseUrl=https://example.org/ipn|transactionReference=TREF20250101A1|keyVersion=1|"
            "orderId=ASP0001|customerId=42|orderChannel=INTERNET")  # fmt: skip
    expected = "a97430544320d80913eeb5850749fc597ea6fffbe1890103ba485196dd4c21cf"
    assert protocol.seal(data, "002001000000002_KEY1") == expected
    assert protocol.seal_matches(data, expected.upper(), "002001000000002_KEY1")
    assert not protocol.seal_matches(data + "|x=1", expected, "002001000000002_KEY1")


def test_the_json_seal_string_is_the_official_sdks_test_vector():
    request = {"amount": 10, "automaticResponseUrl": "http://test.com", "customerId": "customerId",
               "interfaceVersion": "IR_WS_2.19", "templateName": "customCSS.css"}  # fmt: skip
    assert (
        protocol.json_seal_string(request) == "10http://test.comcustomerIdIR_WS_2.19customCSS.css"
    )
    assert protocol.json_seal_string(request | {"currencyCode": "978"}) == (
        "10http://test.com978customerIdIR_WS_2.19customCSS.css"
    )
    sealed = request | {"keyVersion": "1", "sealAlgorithm": "HMAC-SHA-256", "seal": "x"}
    assert protocol.json_seal(sealed, "k") == protocol.json_seal(request, "k")
    assert protocol.json_seal_string({"b": [1, {"d": 2, "c": 3}], "a": "x"}) == "x132"


def test_a_valid_card_is_masked_and_its_last_two_digits_choose_the_response():
    card, errors = cards.check_card(
        number="4100 0000 0000 0605", month="11", year="2027", cvv="123", today=TODAY
    )
    assert errors == {}
    assert (card.masked, card.brand, card.simulated_code) == ("4100##########05", "VISA", "05")
    accepted, _ = cards.check_card(
        number="4100000000000100", month="01", year="2030", cvv="000", today=TODAY
    )
    assert accepted.simulated_code == "00"


@pytest.mark.parametrize(
    "typed, field, message",
    [
        ({"number": ""}, "number", "Saisissez le numéro"),
        ({"number": "4100 0000 0000 0101"}, "number", "pas valide"),
        ({"number": "41000"}, "number", "de 15 à 19 chiffres"),
        ({"month": ""}, "month", "mois"),
        ({"year": "2025", "month": "12"}, "year", "expirée"),
        ({"cvv": "12"}, "cvv", "3 chiffres"),
        ({"number": "4100²00000000100"}, "number", "de 15 à 19 chiffres"),
        ({"month": "²"}, "month", "mois"),
        ({"month": "1" * 5000}, "month", "mois"),
        ({"year": "²²²²"}, "year", "année"),
        ({"cvv": "\u0663\u0663\u0663"}, "cvv", "3 chiffres"),
    ],
)
def test_a_wrong_card_field_gets_its_own_french_error(typed, field, message):
    values = {"number": "4100000000000100", "month": "11", "year": "2027", "cvv": "123"} | typed
    card, errors = cards.check_card(**values, today=TODAY)
    assert card is None and message in errors[field] and set(errors) == {field}


def test_the_card_expiring_this_month_is_still_valid():
    card, errors = cards.check_card(
        number="4100000000000100", month="11", year="2026", cvv="123", today=TODAY
    )
    assert card is not None and not errors


def test_the_automatic_response_is_retried_with_a_growing_delay_until_the_merchant_takes_it(
    tmp_path,
):
    merchant = Merchant(statuses=[503, 500])
    store = Store(tmp_path / "kiosk.sqlite3")
    store.create(token="t1", merchant_id="m", reference="R1", amount=100, currency="978",
                 normal_return_url="http://x/", automatic_response_url=merchant.url,
                 interface_version="HP_2.24", created_at=time.time())  # fmt: skip
    store.queue_delivery(token="t1", url=merchant.url, body="Data=a%3D1&Seal=abc")
    deliverer = Deliverer(store, first_delay=10, max_delay=25, give_up_after=5)
    try:
        start = time.time()
        assert deliverer.deliver_due(now=start) == 0  # 503
        first = store.delivery("t1")
        assert first["attempts"] == 1 and first["next_attempt_at"] >= start + 10
        assert deliverer.deliver_due(now=start + 5) == 0  # not due yet: nothing posted
        assert len(merchant.received) == 1
        assert deliverer.deliver_due(now=first["next_attempt_at"]) == 0  # 500
        second = store.delivery("t1")
        assert second["next_attempt_at"] - first["next_attempt_at"] >= 20  # doubled
        assert deliverer.deliver_due(now=second["next_attempt_at"] + 30) == 1
        assert store.delivery("t1")["delivered_at"] is not None
        assert [r["Data"] for r in merchant.received] == ["a=1"] * 3
        assert deliverer.deliver_due(now=time.time() + 1000) == 0  # delivered: never again
    finally:
        merchant.close()
    assert deliverer.backoff(10) == 25  # the ceiling


def test_an_unreachable_merchant_is_given_up_after_the_last_attempt(tmp_path):
    store = Store(tmp_path / "kiosk.sqlite3")
    store.create(token="t1", merchant_id="m", reference="R1", amount=100, currency="978",
                 normal_return_url="http://x/", automatic_response_url="http://127.0.0.1:9/",
                 interface_version="HP_2.24", created_at=time.time())  # fmt: skip
    store.queue_delivery(token="t1", url="http://127.0.0.1:9/", body="Data=a")
    deliverer = Deliverer(store, first_delay=0, max_delay=0, give_up_after=2, timeout=1)
    deliverer.deliver_due(now=time.time() + 1)
    deliverer.deliver_due(now=time.time() + 1)
    assert store.due_deliveries(now=time.time() + 1, give_up_after=2) == []
    assert "ConnectError" in store.delivery("t1")["last_error"]
