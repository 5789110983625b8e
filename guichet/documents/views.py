"""The documents' pages: the attestation de droits, the attestation d'IJ, the relevé fiscal, and
the public page "Vérifier une attestation"."""

import datetime as dt

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from guichet.core.forms import posted
from guichet.core.http import actor_of, login_rate_limited
from guichet.documents import certified, selectors, services
from guichet.documents.forms import (
    AllowancePeriodForm,
    EntitlementForm,
    TaxYearForm,
    VerificationForm,
)
from guichet.identity.perms import member_required
from guichet.payments import selectors as payments_selectors
from guichet.payments.forms import months_before

HISTORY_MONTHS = 27  # the history kept, as "Mes relevés mensuels" (payments)
TAX_YEARS = 3


def _pdf(issued: services.IssuedFile) -> HttpResponse:
    response = HttpResponse(issued.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{issued.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@member_required
@require_http_methods(["GET", "POST"])
def entitlement_view(request: HttpRequest) -> HttpResponse:
    """ "Attestation de droits" (seed 002): choose the family or one person, get the PDF at once."""
    member = request.user.insured_person
    covered = selectors.coverage_of(holder=member, day=timezone.localdate())
    holder = covered[0]
    form = EntitlementForm(posted(request), covered=covered)
    if holder.open and form.is_valid():
        issued = services.issue_entitlement_certificate(
            member=member, beneficiary_id=form.beneficiary_id(), actor=actor_of(request)
        )
        return _pdf(issued)
    return render(
        request,
        "documents/entitlement.html",
        {
            "member": member,
            "holder": holder,
            "form": form,
            "not_covered": [entry for entry in covered if not entry.open],
        },
        status=400 if form.errors else 200,
    )


def history_start(today: dt.date) -> dt.date:
    """The first day of the history kept: the first of the month 26 months back."""
    return months_before(today.replace(day=1), HISTORY_MONTHS - 1)


@member_required
@require_http_methods(["GET", "POST"])
def allowance_view(request: HttpRequest) -> HttpResponse:
    """ "Attestation de paiement d'indemnités journalières" for a period the member chooses."""
    member = request.user.insured_person
    today = timezone.localdate()
    first_day = history_start(today)
    has_any = payments_selectors.has_daily_allowances(member=member)
    form = AllowancePeriodForm(
        posted(request),
        initial={"du": max(months_before(today, 3), first_day), "au": today},
        first_day=first_day,
        today=today,
    )
    if has_any and form.is_valid():
        start, end = form.cleaned_data["du"], form.cleaned_data["au"]
        try:
            return _pdf(
                services.issue_allowance_certificate(
                    member=member, start=start, end=end, actor=actor_of(request)
                )
            )
        except services.NoDailyAllowance:
            form.add_error(
                None,
                f"Aucune indemnité journalière ne vous a été versée pour la période du "
                f"{start:%d/%m/%Y} au {end:%d/%m/%Y}. Choisissez une autre période.",
            )
    return render(
        request,
        "documents/allowance.html",
        {"form": form, "has_any": has_any, "first_day": first_day},
        status=400 if form.errors else 200,
    )


@member_required
@require_http_methods(["GET", "POST"])
def tax_view(request: HttpRequest) -> HttpResponse:
    """ "Relevé fiscal": the taxable daily allowances of a year."""
    member = request.user.insured_person
    today = timezone.localdate()
    years = [today.year - offset for offset in range(TAX_YEARS)]
    has_any = payments_selectors.has_daily_allowances(member=member)
    form = TaxYearForm(posted(request), initial={"annee": today.year - 1}, years=years)
    if has_any and form.is_valid():
        year = form.cleaned_data["annee"]
        try:
            return _pdf(
                services.issue_tax_statement(member=member, year=year, actor=actor_of(request))
            )
        except services.NoDailyAllowance:
            form.add_error(
                "annee",
                f"Aucune indemnité journalière ne vous a été versée en {year} : il n'y a rien "
                "à déclarer pour cette année.",
            )
    return render(
        request,
        "documents/tax.html",
        {"form": form, "has_any": has_any},
        status=400 if form.errors else 200,
    )


@login_not_required
@require_http_methods(["GET", "POST"])
def verify_view(request: HttpRequest) -> HttpResponse:
    """ "Vérifier une attestation": anyone checks a typed short code or a scanned 2D code."""
    form = VerificationForm(posted(request))
    context: dict = {"form": form, "result": None}
    if request.method == "POST" and login_rate_limited(request, "documents.verify"):
        context["limited"] = True
        return render(request, "documents/verify.html", context, status=429)
    if form.is_valid():
        code = form.cleaned_data["code"]
        if code:
            verification = selectors.verify_short_code(short_code=code)
        else:
            verification = selectors.verify_payload(text=form.cleaned_data["contenu"])
        context["result"] = verification.verdict if verification else "unknown_code"
        if verification is not None and verification.authentic and verification.code:
            context["certified"] = certified.describe(verification.code)
    return render(request, "documents/verify.html", context, status=400 if form.errors else 200)
