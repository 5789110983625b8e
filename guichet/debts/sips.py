"""The portal's Sips 2.0 Paypage POST client (reference/protocols.md §2): the data string, its
HMAC-SHA-256 seal, the response checked in constant time, and the Office diagnostic for the
reconciliation. Whether it talks to the kiosk sandbox or to Worldline is configuration only
(SIPS_* variables, docs/environment.md; ADR 0072).
"""

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass

import httpx
from django.conf import settings

CURRENCY_EUR = "978"
PAYMENT_INIT_PATH = "/paymentInit"
DIAGNOSTIC_PATH = "/rs-services/v2/diagnostic/getTransactionData"
DIAGNOSTIC_INTERFACE = "DR_WS_2.9"


class BadSeal(Exception):
    """The response's seal is not the one our secret gives: it did not come from the kiosk."""


class KioskUnavailable(Exception):
    """The kiosk could not be reached."""


def data_string(fields: dict[str, str]) -> str:
    return "|".join(f"{key}={value}" for key, value in fields.items())


def seal(data: str, secret: str) -> str:
    return hmac.new(secret.encode(), data.encode(), hashlib.sha256).hexdigest()


def parse(data: str) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in data.split("|") if "=" in pair)


def json_seal(fields: dict, secret: str) -> str:
    """The seal of a JSON message: the values of every field but the seal itself and
    keyVersion, in the alphabetical order of their names, concatenated."""
    text = "".join(str(fields[key]) for key in sorted(fields) if key not in ("seal", "keyVersion"))
    return seal(text, secret)


@dataclass(frozen=True)
class PaymentForm:
    """The fields the member's browser posts to the paypage."""

    url: str
    data: str
    seal: str
    interface_version: str


def payment_form(
    *, reference: str, amount_in_cents: int, normal_return_url: str, automatic_response_url: str,
    order_id: str, customer_id: str,
) -> PaymentForm:  # fmt: skip
    fields = {
        "amount": str(amount_in_cents),
        "currencyCode": CURRENCY_EUR,
        "merchantId": settings.SIPS_MERCHANT_ID,
        "normalReturnUrl": normal_return_url,
        "automaticResponseUrl": automatic_response_url,
        "transactionReference": reference,
        "keyVersion": str(settings.SIPS_KEY_VERSION),
        "orderId": order_id,
        "customerId": customer_id,
        "orderChannel": "INTERNET",
        "customerLanguage": "fr",
    }
    data = data_string(fields)
    return PaymentForm(
        url=settings.SIPS_PAYPAGE_URL,
        data=data,
        seal=seal(data, settings.SIPS_SECRET_KEY),
        interface_version=settings.SIPS_INTERFACE_VERSION,
    )


def read_response(*, data: str, received_seal: str, encode: str = "") -> dict[str, str]:
    """The response's fields, once its seal is proven; raises BadSeal otherwise."""
    expected = seal(data, settings.SIPS_SECRET_KEY)
    if not hmac.compare_digest(expected.encode(), received_seal.strip().lower().encode()):
        raise BadSeal
    if encode == "base64":
        data = base64.b64decode(data).decode()
    return parse(data)


def paypage_is_reachable() -> bool:
    """Whether the paypage answers at all, before sending the member there."""
    try:
        httpx.get(settings.SIPS_PAYPAGE_URL, timeout=settings.SIPS_HTTP_TIMEOUT_SECONDS)
    except httpx.HTTPError:
        return False
    return True


def transaction_data(*, reference: str) -> dict:
    """What the Office server knows of a transaction (the reconciliation's question)."""
    message = {
        "interfaceVersion": DIAGNOSTIC_INTERFACE,
        "keyVersion": str(settings.SIPS_KEY_VERSION),
        "merchantId": settings.SIPS_MERCHANT_ID,
        "transactionReference": reference,
    }
    message["seal"] = json_seal(message, settings.SIPS_SECRET_KEY)
    try:
        response = httpx.post(
            settings.SIPS_OFFICE_URL.rstrip("/") + DIAGNOSTIC_PATH,
            json=message,
            timeout=settings.SIPS_HTTP_TIMEOUT_SECONDS,
        )
        answer = response.json()
    except (httpx.HTTPError, json.JSONDecodeError) as error:
        raise KioskUnavailable(str(error)) from error
    if not hmac.compare_digest(
        json_seal(answer, settings.SIPS_SECRET_KEY).encode(), str(answer.get("seal", "")).encode()
    ):
        raise BadSeal
    return answer
