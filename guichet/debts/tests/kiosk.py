"""What the kiosk would post back, sealed with the merchant's secret: the tests' stand-in for a
response, built from the protocol (reference/protocols.md §2.6), not from our own code."""

import hashlib
import hmac

from django.conf import settings


def response(payment, *, code: str = "00", amount: int | None = None, merchant: str = "",
             currency: str = "978", secret: str = "", **extra: str) -> dict[str, str]:  # fmt: skip
    fields = {
        "amount": str(payment.amount_in_cents if amount is None else amount),
        "currencyCode": currency,
        "merchantId": merchant or settings.SIPS_MERCHANT_ID,
        "transactionReference": payment.reference,
        "keyVersion": "1",
        "responseCode": code,
        "authorisationId": "761208" if code == "00" else "",
        "maskedPan": "4100##########00",
        "holderAuthentStatus": "SUCCESS",
        **extra,
    }
    data = "|".join(f"{key}={value}" for key, value in fields.items())
    key = (secret or settings.SIPS_SECRET_KEY).encode()
    return {"Data": data, "Seal": hmac.new(key, data.encode(), hashlib.sha256).hexdigest(),
            "InterfaceVersion": "HP_2.24"}  # fmt: skip
