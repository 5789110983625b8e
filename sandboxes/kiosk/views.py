"""The kiosk's pages: Sips Paypage POST in, the card page, 3-D Secure, the receipt, and the
Office diagnostic the merchant's reconciliation asks (reference/protocols.md §2)."""

import datetime as dt
import json
import re
import secrets
import time

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sandboxes.kiosk import cards, engine, protocol

REFERENCE = re.compile(r"^[A-Za-z0-9]{1,35}$")
REQUIRED = ("amount", "currencyCode", "merchantId", "transactionReference", "normalReturnUrl",
            "automaticResponseUrl", "keyVersion")  # fmt: skip


def euros(cents: int) -> str:
    units, rest = divmod(cents, 100)
    return f"{units:,}".replace(",", "\u00a0") + f",{rest:02d}\u00a0€"


@require_GET
def home_view(request: HttpRequest) -> HttpResponse:
    return render(request, "kiosk_sandbox/home.html", {"merchant_name": settings.MERCHANT_NAME})


def _refuse(request: HttpRequest, code: str, reason: str) -> HttpResponse:
    return render(
        request,
        "kiosk_sandbox/refused_request.html",
        {"code": code, "reason": reason, "merchant_name": settings.MERCHANT_NAME},
        status=400,
    )


@csrf_exempt  # a merchant's form posts here from its own site: the seal proves it
@require_POST
def payment_init_view(request: HttpRequest) -> HttpResponse:
    posted_data = request.POST.get("Data", "")
    algorithm = request.POST.get("SealAlgorithm", protocol.HMAC_SHA_256)
    interface = request.POST.get("InterfaceVersion", "")
    if not posted_data or not interface.startswith("HP_"):
        return _refuse(request, "30", "La demande de paiement est incomplète (format).")
    if algorithm != protocol.HMAC_SHA_256 or not protocol.seal_matches(
        posted_data, request.POST.get("Seal", ""), settings.MERCHANT_SECRET
    ):
        return _refuse(request, "34", "Le scellé de la demande de paiement est invalide.")
    try:
        fields = protocol.parse(protocol.decode(posted_data, request.POST.get("Encode", "")))
    except ValueError:
        return _refuse(request, "30", "La demande de paiement est illisible (format).")
    missing = [name for name in REQUIRED if not fields.get(name)]
    if missing:
        return _refuse(request, "30", f"Il manque {', '.join(missing)} à la demande de paiement.")
    if fields["merchantId"] != settings.MERCHANT_ID:
        return _refuse(request, "03", "Ce commerçant n'est pas connu du kiosque.")
    if fields["keyVersion"] != settings.KEY_VERSION:
        return _refuse(request, "34", "La version de la clé du commerçant est inconnue.")
    if not (cards.digits(fields["amount"]) and 0 < int(fields["amount"]) < 10**12):
        return _refuse(request, "12", "Le montant de la transaction est invalide.")
    if fields["currencyCode"] != "978":
        return _refuse(request, "12", "Le kiosque n'accepte que les paiements en euros (978).")
    if not REFERENCE.match(fields["transactionReference"]):
        return _refuse(request, "12", "La référence de la transaction est invalide.")
    token = secrets.token_urlsafe(16)
    created = engine.store().create(
        token=token,
        merchant_id=fields["merchantId"],
        reference=fields["transactionReference"],
        amount=int(fields["amount"]),
        currency=fields["currencyCode"],
        normal_return_url=fields["normalReturnUrl"],
        automatic_response_url=fields["automaticResponseUrl"],
        order_id=fields.get("orderId", ""),
        customer_id=fields.get("customerId", ""),
        interface_version=interface,
        created_at=time.time(),
    )
    if not created:
        return _refuse(request, "94", "Cette référence de transaction a déjà été utilisée.")
    return redirect("card", token=token)


def _transaction(token: str):
    row = engine.store().get(token)
    if row is not None and engine.is_idle(row):
        engine.finish(token, code="97")
        row = engine.store().get(token)
    return row


def _context(row, **extra) -> dict:
    return {
        "row": row,
        "amount": euros(row["amount"]),
        "merchant_name": settings.MERCHANT_NAME,
        **extra,
    }


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "kiosk_sandbox/refused_request.html",
        {
            "code": "25",
            "reason": "Cette transaction est inconnue.",
            "merchant_name": settings.MERCHANT_NAME,
        },
        status=404,
    )


@require_http_methods(["GET", "POST"])
def card_view(request: HttpRequest, token: str) -> HttpResponse:
    row = _transaction(token)
    if row is None:
        return _not_found(request)
    if row["step"] == "authentication":
        return redirect("authentication", token=token)
    if row["step"] == "done":
        return redirect("result", token=token)
    today = dt.date.today()
    values, errors = {"number": "", "month": "", "year": "", "cvv": ""}, {}
    if request.method == "POST":
        if "annuler" in request.POST:
            engine.finish(token, code="17", from_step="card")
            return redirect("result", token=token)
        values = {name: request.POST.get(name, "").strip()[:32] for name in values}
        card, errors = cards.check_card(**values, today=today)
        if card is not None:
            # Every simulated card is 3-D Secure enrolled: the tester chooses the outcome next.
            engine.store().update(
                token,
                only_at_step="card",
                step="authentication",
                masked_pan=card.masked,
                simulated_code=card.simulated_code,
                brand=card.brand,
            )
            return redirect("authentication", token=token)
    values["cvv"] = ""  # a security code is never sent back to the browser
    return render(
        request,
        "kiosk_sandbox/card.html",
        _context(
            row,
            values=values,
            errors=errors,
            months=[f"{m:02d}" for m in range(1, 13)],
            years=[str(y) for y in range(today.year - 1, today.year + 11)],
        ),
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
def authentication_view(request: HttpRequest, token: str) -> HttpResponse:
    row = _transaction(token)
    if row is None:
        return _not_found(request)
    if row["step"] != "authentication":
        return redirect("card" if row["step"] == "card" else "result", token=token)
    if request.method == "POST":
        if request.POST.get("resultat") == "succes":
            engine.finish(
                token, code=row["simulated_code"], authent="SUCCESS", from_step="authentication"
            )
        else:
            engine.finish(token, code="05", authent="FAILURE", from_step="authentication")
        return redirect("result", token=token)
    return render(request, "kiosk_sandbox/authentication.html", _context(row))


def _done(token: str):
    row = engine.store().get(token)
    if row is None or row["step"] != "done":
        return None
    return row


@require_GET
def result_view(request: HttpRequest, token: str) -> HttpResponse:
    row = _done(token)
    if row is None:
        return redirect("card", token=token) if engine.store().get(token) else _not_found(request)
    return render(
        request,
        "kiosk_sandbox/result.html",
        _context(
            row,
            accepted=row["response_code"] == "00",
            message=protocol.MESSAGES.get(row["response_code"], "Votre paiement n'a pas abouti."),
            completed=dt.datetime.fromtimestamp(row["completed_at"]).strftime("%d/%m/%Y à %H:%M"),
        ),
    )


@require_GET
def receipt_view(request: HttpRequest, token: str) -> HttpResponse:
    row = _done(token)
    if row is None or row["response_code"] != "00":
        return _not_found(request)
    completed = dt.datetime.fromtimestamp(row["completed_at"]).strftime("%d/%m/%Y à %H:%M")
    return render(request, "kiosk_sandbox/receipt.html", _context(row, completed=completed))


DIAGNOSTIC_INTERFACE_PREFIX = "DR_WS_"


def _office_answer(answer: dict) -> JsonResponse:
    """Every Office answer is sealed with the merchant's key, errors included."""
    answer["seal"] = protocol.json_seal(answer, settings.MERCHANT_SECRET)
    return JsonResponse(answer)


@csrf_exempt  # server to server, sealed
@require_POST
def diagnostic_view(request: HttpRequest) -> JsonResponse:
    """Sips Office JSON diagnostic/getTransactionData: the request's responseCode (00 found, 25
    unknown transaction, 30 format, 03 merchant, 34 seal or key version), then what became of
    the transaction (transactionStatus) with its amount, authorisation and card."""
    try:
        message = json.loads(request.body)
        assert isinstance(message, dict)
        protocol.json_seal_string(message)  # nested too deep for the seal: a format error
    except (ValueError, AssertionError, RecursionError):
        return _office_answer({"responseCode": "30"})
    if not str(message.get("interfaceVersion", "")).startswith(DIAGNOSTIC_INTERFACE_PREFIX):
        return _office_answer({"responseCode": "30"})
    if message.get("merchantId") != settings.MERCHANT_ID:
        return _office_answer({"responseCode": "03"})
    if str(message.get("keyVersion", "")) != settings.KEY_VERSION or not protocol.json_seal_matches(
        message, settings.MERCHANT_SECRET
    ):
        return _office_answer({"responseCode": "34"})
    reference = str(message.get("transactionReference", ""))
    if not REFERENCE.match(reference):
        return _office_answer({"responseCode": "30"})
    row = engine.store().find(merchant_id=settings.MERCHANT_ID, reference=reference)
    if row is not None and engine.is_idle(row):
        engine.finish(row["token"], code="97")
        row = engine.store().get(row["token"])
    if row is None:
        return _office_answer({"responseCode": "25"})
    sent = protocol.parse(row["response_data"])  # the automatic response, once it ended
    answer = {
        "responseCode": "00",
        "transactionStatus": protocol.transaction_status(row["response_code"]),
        "transactionDateTime": sent.get("transactionDateTime")
        or dt.datetime.fromtimestamp(row["created_at"], dt.UTC).isoformat(timespec="seconds"),
        "amount": row["amount"],
        "currencyCode": row["currency"],
        "orderChannel": "INTERNET",
        "captureMode": "AUTHOR_CAPTURE",
    }
    optional = {
        "acquirerResponseCode": row["response_code"],
        "authorisationId": row["authorisation_id"],
        "maskedPan": row["masked_pan"],
        "paymentMeanBrand": row["brand"],
        "paymentMeanType": "CARD" if row["masked_pan"] else "",
        "holderAuthentStatus": row["holder_authent_status"],
        "orderId": row["order_id"],
        "customerId": row["customer_id"],
    }
    answer |= {key: value for key, value in optional.items() if value}  # absent, not empty
    return _office_answer(answer)
