"""What the kiosk does with a transaction: end it with a response code, seal the response and
put it in the outbox of automatic responses."""

import datetime as dt
import secrets
import time
from functools import cache
from urllib.parse import urlencode

from django.conf import settings

from sandboxes.kiosk import protocol
from sandboxes.kiosk.delivery import Deliverer
from sandboxes.kiosk.store import Store

INTERFACE_VERSION = "HP_2.24"


@cache
def store() -> Store:
    return Store(settings.DATABASE_FILE)


@cache
def deliverer() -> Deliverer:
    return Deliverer(
        store(),
        first_delay=settings.RETRY_FIRST_SECONDS,
        max_delay=settings.RETRY_MAX_SECONDS,
        give_up_after=settings.RETRY_GIVE_UP_AFTER,
    )


def finish(token: str, *, code: str, authent: str = "", from_step: str | None = None) -> bool:
    """End the transaction with `code` and queue its automatic response; False if it had ended."""
    row = store().get(token)
    if row is None or row["step"] == "done":
        return False
    now = time.time()
    fields = {
        "amount": str(row["amount"]),
        "currencyCode": row["currency"],
        "merchantId": row["merchant_id"],
        "transactionReference": row["reference"],
        "keyVersion": settings.KEY_VERSION,
        "orderChannel": "INTERNET",
        "orderId": row["order_id"],
        "customerId": row["customer_id"],
        "responseCode": code,
        "acquirerResponseCode": code,
        "authorisationId": f"{secrets.randbelow(10**6):06d}" if code == "00" else "",
        "maskedPan": row["masked_pan"],
        "paymentMeanBrand": row["brand"],
        "paymentMeanType": "CARD" if row["masked_pan"] else "",
        "holderAuthentStatus": authent,
        "holderAuthentProgram": "3DS_V2" if authent else "",
        "transactionDateTime": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    data = protocol.data_string(fields)
    response_seal = protocol.seal(data, settings.MERCHANT_SECRET)
    changed = store().update(
        token,
        only_at_step=from_step or row["step"],
        step="done",
        response_code=code,
        authorisation_id=fields["authorisationId"],
        holder_authent_status=authent,
        completed_at=now,
        response_data=data,
        response_seal=response_seal,
    )
    if changed:
        body = urlencode(
            {"Data": data, "Seal": response_seal, "InterfaceVersion": row["interface_version"]}
        )
        store().queue_delivery(token=token, url=row["automatic_response_url"], body=body)
        deliverer().wake.set()
    return changed


def expire_idle() -> int:
    """Transactions left on the card or 3-D Secure page too long end with code 97."""
    tokens = store().idle(older_than=time.time() - settings.IDLE_SECONDS)
    return sum(finish(token, code="97") for token in tokens)


def is_idle(row) -> bool:
    return row["step"] != "done" and time.time() - row["created_at"] > settings.IDLE_SECONDS
