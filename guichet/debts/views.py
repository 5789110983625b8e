"""The member's screens of seed 000 ("Payer une créance"), and the kiosk's two responses."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from guichet.core.digits import posted_id
from guichet.core.forms import posted
from guichet.core.http import actor_of
from guichet.core.services import record_audit
from guichet.debts import selectors, services, sips
from guichet.debts.enums import Channel, PaymentStatus
from guichet.debts.forms import PaymentForm, ReferenceForm
from guichet.identity.perms import member_required

logger = logging.getLogger(__name__)

THANKS = "Nous vous remercions pour votre paiement, nous le traitons dans les plus brefs délais."
FAILED = "Votre transaction de paiement a échoué."
UNDER_WAY = (
    "Votre paiement est en cours de vérification auprès de la banque : son résultat s'affichera "
    "dans « Payer une créance » d'ici quelques minutes."
)
KIOSK_DOWN = (
    "Le kiosque de paiement ne répond pas pour le moment. Aucun paiement n'a été enregistré : "
    "réessayez dans quelques minutes."
)


@member_required
@require_http_methods(["GET", "POST"])
def start_view(request: HttpRequest) -> HttpResponse:
    member = request.user.insured_person
    form = ReferenceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            notice = services.notice_to_pay(member=member, reference=form.cleaned_data["reference"])
        except services.DebtError as error:
            form.add_error(None, str(error))
        else:
            return redirect("debts:pay", reference=notice.reference)
    return render(
        request, "debts/start.html", {"form": form, "notices": selectors.notices_of(member=member)}
    )


@member_required
@require_http_methods(["GET", "POST"])
def pay_view(request: HttpRequest, reference: str) -> HttpResponse:
    member = request.user.insured_person
    try:
        notice = services.notice_to_pay(member=member, reference=reference)
    except services.DebtError as error:
        messages.error(request, str(error))
        return redirect("debts:start")
    notices = selectors.open_notices_of(member=member)
    form = PaymentForm(posted(request), notices=notices, initial={"notices": [notice.pk]})
    if request.method == "POST" and form.is_valid():
        if not sips.paypage_is_reachable():
            form.add_error(None, KIOSK_DOWN)
        else:
            try:
                payment = services.start_payment(
                    member=member,
                    notice_ids=form.cleaned_data["notices"],
                    amount=form.cleaned_data["amount"],
                    actor=actor_of(request),
                )
            except services.DebtError as error:
                form.add_error(None, str(error))
            else:
                return _to_kiosk(request, payment)
    chosen = {pk for pk in map(posted_id, form["notices"].value() or []) if pk is not None}
    return render(
        request,
        "debts/pay.html",
        {
            "notice": notice,
            "notices": notices,
            "form": form,
            "chosen": chosen,
            "chosen_total": sum(n.payable_amount for n in notices if n.pk in chosen),
        },
    )


def _to_kiosk(request: HttpRequest, payment) -> HttpResponse:
    base = settings.GUICHET_BASE_URL
    payment_form = sips.payment_form(
        reference=payment.reference,
        amount_in_cents=payment.amount_in_cents,
        normal_return_url=base + reverse("debts:manual"),
        automatic_response_url=base + reverse("debts:automatic"),
        order_id=payment.reference,
        customer_id=str(payment.member_id),
    )
    return render(request, "debts/to_kiosk.html", {"payment": payment, "sips": payment_form})


@member_required
def outcome_view(request: HttpRequest, reference: str) -> HttpResponse:
    """Where the member lands back from the kiosk: the home page says how it went."""
    payment = selectors.payment_of(member=request.user.insured_person, reference=reference)
    if payment is None:
        raise Http404("Ce paiement n'existe pas.")
    if payment.status == PaymentStatus.ACCEPTED:
        messages.success(request, THANKS)
    elif payment.status == PaymentStatus.INITIATED:
        messages.info(request, UNDER_WAY)
    else:
        messages.error(request, FAILED)
    return redirect("home:index")


def _apply(request: HttpRequest, channel: str):
    """Check the seal, then apply the response: the same for both channels (protocols.md §2.8)."""
    data, seal = request.POST.get("Data", ""), request.POST.get("Seal", "")
    try:
        fields = sips.read_response(
            data=data, received_seal=seal, encode=request.POST.get("Encode", "")
        )
    except (sips.BadSeal, ValueError):
        record_audit(actor=actor_of(request), action="debt_payment.bad_seal", channel=channel)
        return None
    try:
        return services.record_kiosk_response(fields=fields, channel=channel, raw=data)
    except services.UnknownTransaction:
        record_audit(
            actor=actor_of(request),
            action="debt_payment.unknown_transaction",
            channel=channel,
            reference=fields.get("transactionReference", "")[:40],
        )
        return None


@login_not_required
@csrf_exempt  # the kiosk posts server to server; the seal proves it
@require_POST
def automatic_response_view(request: HttpRequest) -> HttpResponse:
    payment = _apply(request, Channel.AUTOMATIC)
    return HttpResponse(status=200 if payment is not None else 400)


@login_not_required
@csrf_exempt  # the member's browser comes back from the kiosk's site with its sealed response
@require_POST
def manual_response_view(request: HttpRequest) -> HttpResponse:
    payment = _apply(request, Channel.MANUAL)
    if payment is None:
        return render(request, "debts/bad_response.html", status=400)
    return redirect("debts:outcome", reference=payment.reference)
