"""The documents' pages: the attestation de droits, the attestation d'IJ, the relevé fiscal, and
the public page "Vérifier une attestation"."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from guichet.core.forms import posted
from guichet.core.http import actor_of, login_rate_limited
from guichet.documents import certified, selectors, services
from guichet.documents.forms import EntitlementForm, VerificationForm
from guichet.identity.perms import member_required


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
