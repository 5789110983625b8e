"""A member's choice of complementary insurer, for the gestionnaire who processes it."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from guichet.backoffice.common import fund_of
from guichet.backoffice.perms import Capability, agent_required, can
from guichet.complementary import selectors, services
from guichet.complementary.enums import CHOICE_TO_PROCESS, RequestStatus
from guichet.core.http import actor_of
from guichet.workqueues import kinds


def _may_process(user) -> bool:
    kind = kinds.get(CHOICE_TO_PROCESS)
    return can(user, Capability.WORK_QUEUES) and (
        kind is not None and user.agent_profile.role in kind.roles
    )


@agent_required(Capability.VIEW_MEMBER_FILE)
@require_http_methods(["GET", "POST"])
def request_view(request: HttpRequest, request_id: int) -> HttpResponse:
    selection = selectors.request_of_fund(fund_id=fund_of(request).pk, request_id=request_id)
    if selection is None:
        raise Http404("Cette demande n'existe pas dans votre caisse.")
    may_process = _may_process(request.user) and selection.status == RequestStatus.PENDING
    if request.method == "POST":
        if not may_process:
            messages.error(request, "Cette demande ne peut pas être traitée par vous, ou plus.")
            return redirect("backoffice:complementary_request", selection.pk)
        done = services.process_request(request_id=selection.pk, actor=actor_of(request))
        if done.status == RequestStatus.PROCESSED:
            messages.success(
                request, "La demande est traitée : l'autre contrat est terminé et l'assuré prévenu."
            )
        else:
            messages.error(
                request,
                "Le chevauchement a changé depuis la demande : elle est annulée, "
                "l'assuré devra choisir à nouveau.",
            )
        return redirect("backoffice:complementary_request", selection.pk)
    contracts = selectors.contracts_by_id(
        ids={pk for choice in selection.choices.all() for pk in choice.overlap.contract_ids}
    )
    rows = [
        {
            "choice": choice,
            "ended": [
                contracts[pk]
                for pk in choice.overlap.contract_ids
                if pk != choice.kept_id and pk in contracts
            ],
        }
        for choice in selection.choices.all()
    ]
    return render(
        request,
        "complementary/backoffice/request.html",
        {"selection": selection, "rows": rows, "may_process": may_process},
    )
