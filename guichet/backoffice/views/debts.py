"""A comptable issues or cancels a payment notice from a member's file (the debts app does the
work)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from guichet.backoffice import forms
from guichet.backoffice.perms import Capability, agent_required
from guichet.backoffice.views.members import _person_or_404
from guichet.core.forms import posted
from guichet.core.http import actor_of
from guichet.core.money import format_euros
from guichet.debts import services as debt_services
from guichet.debts.enums import NoticeStatus
from guichet.debts.models import PaymentNotice

SPEC = {
    "title": "Émettre un avis de sommes à payer",
    "button": "Émettre l'avis",
    "intro": "L'avis réclame les participations forfaitaires et franchises que les paiements "
    "n'ont pas encore récupérées. Il est déposé dans la messagerie de l'assuré, ou envoyé par "
    "courrier s'il n'a pas de compte en ligne.",
}


@agent_required(Capability.ISSUE_NOTICES)
@require_http_methods(["GET", "POST"])
def issue_notice_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    form = forms.ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            notice = debt_services.issue_notice_now(
                member=person,
                today=timezone.localdate(),
                actor=actor_of(request),
                reason=form.cleaned_data["reason"],
            )
        except debt_services.DebtError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"L'avis {notice.reference} de {format_euros(notice.initial_amount)} est émis "
                f"({notice.get_delivery_display().lower()}).",
            )
            return redirect("backoffice:member_file_tab", person.pk, "creances")
    return render(
        request,
        "backoffice/account_action.html",
        {"person": person, "form": form, "spec": SPEC, "back_tab": "creances"},
    )


CANCEL_SPEC = {
    "title": "Annuler un avis de sommes à payer",
    "button": "Annuler l'avis",
    "intro": "Un avis émis par erreur : les participations forfaitaires et franchises qu'il "
    "réclamait pourront de nouveau être récupérées sur les prochains paiements. Un avis déjà "
    "payé en partie, ou dont un paiement est en cours, ne peut plus être annulé.",
}


@agent_required(Capability.ISSUE_NOTICES)
@require_http_methods(["GET", "POST"])
def cancel_notice_view(request: HttpRequest, person_id: int, notice_id: int) -> HttpResponse:
    person = _person_or_404(request, person_id)
    notice = get_object_or_404(
        PaymentNotice, pk=notice_id, member=person, status=NoticeStatus.ISSUED
    )
    form = forms.ReasonForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            debt_services.cancel_notice(
                notice=notice, actor=actor_of(request), reason=form.cleaned_data["reason"]
            )
        except debt_services.DebtError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"L'avis {notice.reference} est annulé.")
            return redirect("backoffice:member_file_tab", person.pk, "creances")
    spec = CANCEL_SPEC | {"title": f"Annuler l'avis {notice.reference}"}
    return render(
        request,
        "backoffice/account_action.html",
        {"person": person, "form": form, "spec": spec, "back_tab": "creances"},
    )
