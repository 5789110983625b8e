"""The portal's Sips 2.0 Paypage POST client (reference/protocols.md §2): the data string, its
HMAC-SHA-256 seal, the response checked in constant time, and the Office diagnostic for the
reconciliation. Whether it talks to the kiosk sandbox or to Worldline is configuration only
(SIPS_* variables, docs/environment.md; ADR 0072).
"""

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass, field

import httpx
from django.conf import settings

CURRENCY_EUR = "978"
PAYMENT_INIT_PATH = "/paymentInit"
DIAGNOSTIC_PATH = "/rs-services/v2/diagnostic/getTransactionData"


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


NOT_SEALED = frozenset({"keyVersion", "sealAlgorithm", "seal"})


def json_seal_string(value) -> str:
    """What an Office JSON seal covers: the values, fields in the alphabetical order of their
    names (nested objects likewise, lists in order), concatenated (reference/protocols.md §2.4)."""
    if isinstance(value, dict):
        return "".join(json_seal_string(value[key]) for key in sorted(value))
    if isinstance(value, list):
        return "".join(json_seal_string(item) for item in value)
    return "" if value is None else str(value)


def json_seal(fields: dict, secret: str) -> str:
    """The seal of an Office JSON message or answer: every field but keyVersion, sealAlgorithm
    and the seal itself."""
    return seal(json_seal_string({k: v for k, v in fields.items() if k not in NOT_SEALED}), secret)


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


def _same_seal(expected: str, received: object) -> bool:
    """In constant time, on bytes: a seal is hexadecimal, so any other text (even "²", which
    `compare_digest` refuses as str) is simply not the seal."""
    return hmac.compare_digest(expected.encode(), str(received).lower().encode())


def read_response(*, data: str, received_seal: str, encode: str = "") -> dict[str, str]:
    """The response's fields, once its seal is proven; raises BadSeal otherwise."""
    expected = seal(data, settings.SIPS_SECRET_KEY)
    if not _same_seal(expected, received_seal.strip()):
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


class OfficeRefused(Exception):
    """The Office server refused the question itself (its responseCode), e.g. 34: our seal or key
    version, 03: our merchant id, 30: the format. Configuration to fix, not a transaction's fate."""


# transactionStatus → what the reconciliation does with it. Accepted: waiting for the capture or
# captured. Still open: the buyer is on the paypage, or the bank has not answered yet.
ACCEPTED_STATUSES = frozenset({"TO_CAPTURE", "CAPTURED"})
OPEN_STATUSES = frozenset({"PENDING", "TO_AUTHORIZE", "AUTHORISATION_REQUESTED", "TO_CHALLENGE"})
REFUSED_STATUS, ABORTED_STATUS = "REFUSED", "ABORTED"
FOUND, NOT_FOUND = "00", "25"


@dataclass(frozen=True)
class TransactionData:
    """The Office's answer about one transaction: whether it knows it, and its fields."""

    found: bool
    status: str = ""  # transactionStatus
    fields: dict = field(default_factory=dict)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


def transaction_data(*, reference: str) -> TransactionData:
    """What the Office server knows of a transaction (Sips Office JSON diagnostic/
    getTransactionData), its answer's seal proven; the reconciliation's question."""
    message = {
        "interfaceVersion": settings.SIPS_OFFICE_INTERFACE_VERSION,
        "keyVersion": str(settings.SIPS_KEY_VERSION),
        "merchantId": settings.SIPS_MERCHANT_ID,
        "sealAlgorithm": "HMAC-SHA-256",
        "transactionReference": reference,
    }
    message["seal"] = json_seal(message, settings.SIPS_SECRET_KEY)
    try:
        response = httpx.post(
            settings.SIPS_OFFICE_URL.rstrip("/") + DIAGNOSTIC_PATH,
            json=message,
            headers={"Accept": "application/json"},
            timeout=settings.SIPS_HTTP_TIMEOUT_SECONDS,
        )
        answer = response.json()
        expected = json_seal(answer, settings.SIPS_SECRET_KEY) if isinstance(answer, dict) else ""
    except (httpx.HTTPError, json.JSONDecodeError, RecursionError) as error:
        raise KioskUnavailable(str(error)[:200]) from error
    if not isinstance(answer, dict):
        raise KioskUnavailable(f"not a JSON object: {str(answer)[:80]}")
    if not _same_seal(expected, answer.get("seal", "")):
        raise BadSeal
    code = str(answer.get("responseCode", ""))
    if code == NOT_FOUND:
        return TransactionData(found=False)
    if code != FOUND:
        raise OfficeRefused(code)
    return TransactionData(
        found=True, status=str(answer.get("transactionStatus", "")), fields=answer
    )
