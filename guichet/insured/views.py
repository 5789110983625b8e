"""Mes informations: the member's and each dependant's file, and the details they may change."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from guichet.complementary import selectors as complementary_selectors
from guichet.core import selectors as core_selectors
from guichet.core.forms import posted
from guichet.core.http import actor_of
from guichet.identity.perms import member_required
from guichet.insured import forms, phones, selectors, services


@member_required
def information_view(request: HttpRequest, person_id: int | None = None) -> HttpResponse:
    holder = request.user.insured_person
    family = selectors.family_of(holder=holder)
    person = (
        family[0] if person_id is None else next((p for p in family if p.pk == person_id), None)
    )
    if person is None:
        raise Http404("Cette personne ne fait pas partie de votre famille.")
    return render(
        request,
        "insured/information.html",
        {
            "family": family,
            "person": person,
            "is_holder": person.pk == holder.pk,
            "account": request.user,
            "mobile_display": phones.display(holder.mobile_phone),
            "landline_display": phones.display(holder.landline_phone),
            "consultations": _consultations(person.pk),
            "complementary": complementary_selectors.complementary_of(
                person=person, holder=holder, today=timezone.localdate()
            ),
        },
    )


@member_required
def agencies_view(request: HttpRequest) -> HttpResponse:
    """ "Les agences de ma caisse": where the member's fund receives them."""
    fund = request.user.insured_person.fund
    return render(
        request,
        "insured/agencies.html",
        {"fund": fund, "agencies": selectors.open_agencies_of(fund_id=fund.pk)},
    )


CONSULTATIONS_SHOWN = 10


def _consultations(person_id: int) -> list[dict]:
    """When and by which fund and service the file was consulted: one line per day and service,
    newest first (the journal keeps every look; the agent's name is never shown)."""
    lines: list[dict] = []
    seen = set()
    for event in core_selectors.file_consultations(person_id=person_id):
        day = timezone.localdate(event.occurred_at)
        key = (day, event.details.get("fund", ""), event.details.get("service", ""))
        if key in seen:
            continue
        seen.add(key)
        lines.append({"at": event.occurred_at, "fund": key[1], "service": key[2]})
        if len(lines) == CONSULTATIONS_SHOWN:
            break
    return lines


@member_required
@require_http_methods(["GET", "POST"])
def phones_view(request: HttpRequest) -> HttpResponse:
    person = request.user.insured_person
    initial = {
        "mobile_phone": phones.display(person.mobile_phone),
        "landline_phone": phones.display(person.landline_phone),
    }
    form = forms.PhonesForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_phones(
            person=person,
            mobile_phone=form.cleaned_data["mobile_phone"],
            landline_phone=form.cleaned_data["landline_phone"],
            actor=actor_of(request),
        )
        messages.success(request, "Vos numéros de téléphone sont enregistrés.")
        return redirect("insured:information")
    return render(request, "insured/phones.html", {"form": form})


@member_required
@require_http_methods(["GET", "POST"])
def contact_permissions_view(request: HttpRequest) -> HttpResponse:
    person = request.user.insured_person
    initial = {"by_email": person.contact_by_email, "by_sms": person.contact_by_sms}
    form = forms.ContactPermissionsForm(posted(request), initial=initial, person=person)
    if request.method == "POST" and form.is_valid():
        services.update_contact_permissions(
            person=person,
            by_email=form.cleaned_data["by_email"],
            by_sms=form.cleaned_data["by_sms"],
            actor=actor_of(request),
        )
        messages.success(request, "Vos autorisations de contact sont enregistrées.")
        return redirect("insured:information")
    return render(request, "insured/contact_permissions.html", {"form": form})
