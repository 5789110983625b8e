"""Mes paiements: the list and search, a payment's detail, the statements (PDF), PF/franchises,
sick leave, work accidents, the payments to forward; and the import endpoint of the fund's
systems."""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.core.actors import Actor, ActorKind
from guichet.core.digits import posted_id
from guichet.core.http import actor_of, client_ip, pdf_response
from guichet.identity.perms import member_required
from guichet.insured import selectors as insured_selectors
from guichet.payments import documents, selectors, services
from guichet.payments.enums import CopaymentStatus, FeedName, PaymentKind
from guichet.payments.forms import (
    DEFAULT_MONTHS,
    FILTERS,
    SEARCH_MONTHS_BACK,
    PaymentSearchForm,
    PeriodForm,
    months_before,
)

MONTHS = ["JANVIER", "FÉVRIER", "MARS", "AVRIL", "MAI", "JUIN", "JUILLET", "AOÛT", "SEPTEMBRE",
          "OCTOBRE", "NOVEMBRE", "DÉCEMBRE"]  # fmt: skip
STATEMENT_MONTHS = 27
ANNUAL_YEARS = 3
SEARCH_KEYS = ("du", "au", "beneficiaire", "filtre")


def _months(start: dt.date, end: dt.date, payments: list) -> list[dict]:
    """The months from `end` back to `start`, each with its payments (newest first)."""
    by_month: dict[tuple[int, int], list] = {}
    for payment in payments:
        by_month.setdefault((payment.paid_on.year, payment.paid_on.month), []).append(payment)
    months, year, month = [], end.year, end.month
    while (year, month) >= (start.year, start.month):
        months.append(
            {"label": f"{MONTHS[month - 1]} {year}", "id": f"mois-{year}-{month:02d}",
             "payments": by_month.get((year, month), [])}
        )  # fmt: skip
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


@member_required
@require_GET
def payment_list_view(request: HttpRequest) -> HttpResponse:
    member = request.user.insured_person
    family = insured_selectors.family_persons(holder=member)
    today = timezone.localdate()
    default_start = months_before(today, DEFAULT_MONTHS)
    searched = any(key in request.GET for key in SEARCH_KEYS)
    form = PaymentSearchForm(
        request.GET if searched else None,
        initial={"du": default_start, "au": today, "beneficiaire": "", "filtre": list(FILTERS)},
        family=family,
        today=today,
    )
    context = {"form": form, "family": family, "months": None, "more_url": None}
    if not searched or form.is_valid():
        if searched:
            start, end = form.cleaned_data["du"], form.cleaned_data["au"]
            beneficiary_id, kinds = form.beneficiary_id(), form.kinds()
        else:
            start, end, beneficiary_id, kinds = default_start, today, None, None
        payments = selectors.payments_between(
            member=member, start=start, end=end, beneficiary_id=beneficiary_id, kinds=kinds
        )
        context["months"] = _months(start, end, payments)
        context["period"] = (start, end)
        if start > form.limit:
            query = {
                "du": f"{max(months_before(start, DEFAULT_MONTHS), form.limit):%d/%m/%Y}",
                "au": f"{end:%d/%m/%Y}",
                "beneficiaire": beneficiary_id or "",
                "filtre": form.cleaned_data["filtre"] if searched else list(FILTERS),
            }
            context["more_url"] = "?" + urlencode(query, doseq=True)
    context["to_forward_count"] = selectors.count_to_forward(member=member)
    return render(request, "payments/list.html", context)


@member_required
@require_GET
def payment_detail_view(request: HttpRequest, payment_id: int) -> HttpResponse:
    detail = selectors.payment_detail(member=request.user.insured_person, payment_id=payment_id)
    if detail is None:
        raise Http404("Ce paiement n'existe pas ou n'est pas le vôtre.")
    return render(
        request,
        "payments/detail.html",
        {
            "detail": detail,
            "payment": detail.payment,
            "statuses": CopaymentStatus,
            "kinds": PaymentKind,
        },
    )


def _statement_months(today: dt.date) -> tuple[dt.date, dt.date]:
    first = months_before(today.replace(day=1), STATEMENT_MONTHS - 1)
    return first, today


@member_required
@require_GET
def statement_list_view(request: HttpRequest) -> HttpResponse:
    first, last = _statement_months(timezone.localdate())
    months = selectors.monthly_summaries(member=request.user.insured_person, first=first, last=last)
    return render(
        request,
        "payments/statements.html",
        {"months": months, "month_names": [m.capitalize() for m in MONTHS]},
    )


@member_required
@require_GET
def monthly_statement_view(request: HttpRequest, year: int, month: int) -> HttpResponse:
    today = timezone.localdate()
    first, last = _statement_months(today)
    if not 1 <= month <= 12 or not (first.year, first.month) <= (year, month) <= (
        last.year,
        last.month,
    ):
        raise Http404("Les relevés mensuels couvrent les 27 derniers mois.")
    member = request.user.insured_person
    start = dt.date(year, month, 1)
    end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    payments = selectors.payments_with_lines(member=member, start=start, end=end)
    content = documents.monthly_statement(
        member=member, year=year, month=month, payments=payments, issued_on=today
    )
    return pdf_response(content, f"releve-mensuel-{year}-{month:02d}.pdf")


def _years(today: dt.date) -> list[int]:
    return [today.year - offset for offset in range(ANNUAL_YEARS)]


@member_required
@require_GET
def annual_list_view(request: HttpRequest) -> HttpResponse:
    return render(request, "payments/annual.html", {"years": _years(timezone.localdate())})


@member_required
@require_GET
def annual_statement_view(request: HttpRequest, year: int) -> HttpResponse:
    today = timezone.localdate()
    if year not in _years(today):
        raise Http404("Les relevés annuels couvrent les trois dernières années.")
    member = request.user.insured_person
    summary = selectors.annual_summary(member=member, year=year)
    content = documents.annual_statement(member=member, summary=summary, issued_on=today)
    return pdf_response(content, f"releve-annuel-{year}.pdf")


@member_required
@require_GET
def copayments_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    years = _years(today)
    try:
        year = int(request.GET.get("annee", today.year))
    except ValueError:
        year = today.year
    if year not in years:
        year = today.year
    member = request.user.insured_person
    family = insured_selectors.family_persons(holder=member)
    summaries = selectors.copayments_of_year(member=member, family=family, year=year)
    return render(
        request,
        "payments/copayments.html",
        {"year": year, "years": years, "summaries": summaries, "statuses": CopaymentStatus},
    )


@member_required
@require_GET
def sick_leaves_view(request: HttpRequest) -> HttpResponse:
    leaves = selectors.sick_leaves_of(member=request.user.insured_person)
    return render(request, "payments/sick_leaves.html", {"leaves": leaves})


@member_required
@require_GET
def work_accidents_view(request: HttpRequest) -> HttpResponse:
    accidents = selectors.work_accidents_of(member=request.user.insured_person)
    return render(request, "payments/work_accidents.html", {"accidents": accidents})


@member_required
@require_http_methods(["GET", "POST"])
def to_forward_view(request: HttpRequest) -> HttpResponse:
    """ "Paiements à transmettre à votre complémentaire": pick, then download one PDF."""
    member = request.user.insured_person
    today = timezone.localdate()
    default_start = months_before(today, SEARCH_MONTHS_BACK)
    source = request.POST if request.method == "POST" else request.GET
    searched = "du" in source or "au" in source
    form = PeriodForm(
        source if searched else None, initial={"du": default_start, "au": today}, today=today
    )
    selection_error, chosen = "", []
    if request.method == "POST":
        chosen = [pk for pk in map(posted_id, request.POST.getlist("paiement")) if pk is not None]
        if chosen:
            payments = services.mark_downloaded_for_complementary(
                member=member, payment_ids=chosen, actor=actor_of(request)
            )
            if payments:
                full = selectors.payments_with_lines(
                    member=member,
                    start=dt.date(1900, 1, 1),
                    end=today,
                    ids=[p.pk for p in payments],
                )
                content = documents.statements_to_forward(
                    member=member, payments=full, issued_on=today
                )
                return pdf_response(content, f"decomptes-a-transmettre-{today:%Y-%m-%d}.pdf")
        selection_error = "Cochez au moins un paiement à télécharger."
    months = None
    if not searched or form.is_valid():
        start = form.cleaned_data["du"] if searched else default_start
        end = form.cleaned_data["au"] if searched else today
        payments = selectors.payments_between(
            member=member, start=start, end=end, to_forward_only=True
        )
        months = _months(start, end, payments)
        period = {"du": f"{start:%d/%m/%Y}", "au": f"{end:%d/%m/%Y}"}
    else:
        period = {}
    return render(
        request,
        "payments/to_forward.html",
        {
            "form": form,
            "months": months,
            "period": period,
            "selection_error": selection_error,
            "chosen": chosen,
        },
        status=400 if selection_error else 200,
    )


# --- the fund's systems --------------------------------------------------------------------------
FEED_ACTOR_KIND = ActorKind.SYSTEM


@login_not_required
@csrf_exempt
@require_POST
def feed_endpoint_view(request: HttpRequest, feed: str) -> JsonResponse:
    """POST a JSON Lines file with `Authorization: Bearer <token>` (docs/feeds.md)."""
    if feed not in FeedName.values:
        return JsonResponse(
            {"error": f"Flux inconnu : {feed}. Flux : {', '.join(FeedName.values)}."}, status=404
        )
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    client = (
        services.feed_client_for(token=token.strip())
        if scheme.lower() == "bearer" and token
        else None
    )
    if client is None:
        response = JsonResponse({"error": "Jeton absent, inconnu ou révoqué."}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="guichet-flux"'
        return response
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > settings.GUICHET_FEED_MAX_BYTES:
        return JsonResponse(
            {
                "error": f"Fichier trop gros : au plus {settings.GUICHET_FEED_MAX_BYTES} octets par envoi."
            },
            status=413,
        )
    report = services.import_feed(
        feed=feed,
        stream=request,  # read line by line, never whole in memory
        source=f"endpoint:{client.name}",
        actor=Actor(FEED_ACTOR_KIND, f"feed:{client.name}", client_ip(request)),
        client=client,
    )
    return JsonResponse(
        report.as_dict(),
        status=200 if report.applied else 422,
        json_dumps_params={"ensure_ascii": False},
    )
