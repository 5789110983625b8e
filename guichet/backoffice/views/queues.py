"""The work queues: each kind's pending items, oldest first; taking and assigning them."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from guichet.backoffice import forms
from guichet.backoffice.common import fund_of, paginate
from guichet.backoffice.perms import Capability, agent_required, can
from guichet.complementary import selectors as complementary_selectors
from guichet.core.http import actor_of
from guichet.identity import selectors as identity_selectors
from guichet.workqueues import kinds
from guichet.workqueues import selectors as work_selectors
from guichet.workqueues import services as work_services
from guichet.workqueues.models import WorkItem


def _works(user, kind: kinds.ItemKind) -> bool:
    return can(user, Capability.ASSIGN_WORK) or user.agent_profile.role in kind.roles


def _roles(user) -> set[str] | None:
    return None if can(user, Capability.ASSIGN_WORK) else {user.agent_profile.role}


@agent_required(Capability.WORK_QUEUES)
def queues_view(request: HttpRequest) -> HttpResponse:
    summaries = work_selectors.queue_summaries(fund=fund_of(request), roles=_roles(request.user))
    return render(
        request, "backoffice/queues.html", {"summaries": summaries, "now": timezone.now()}
    )


def _eligible_agents(fund, kind: kinds.ItemKind):
    return [
        agent
        for agent in identity_selectors.agents_of_fund(fund_id=fund.pk)
        if agent.role in kind.roles and agent.account.is_active
    ]


@agent_required(Capability.WORK_QUEUES)
def queue_view(request: HttpRequest, kind: str) -> HttpResponse:
    item_kind = kinds.get(kind)
    if item_kind is None or not _works(request.user, item_kind):
        raise Http404("Cette file de travail n'existe pas.")
    fund = fund_of(request)
    page = paginate(request, work_selectors.queue_items(fund=fund, kind=kind))
    now = timezone.now()
    for item in page:
        item.url = item_kind.item_url(item)
        item.is_late = item.age(now) > item_kind.sla
    assign_form = None
    if can(request.user, Capability.ASSIGN_WORK):
        assign_form = forms.AssignForm(agents=_eligible_agents(fund, item_kind))
    return render(
        request,
        "backoffice/queue.html",
        {"kind": item_kind, "page": page, "now": now, "assign_form": assign_form},
    )


def _back_to_queue(item_id: int, fund) -> HttpResponse:
    item = WorkItem.objects.filter(pk=item_id, fund=fund).first()
    return redirect("backoffice:queue", item.kind) if item else redirect("backoffice:queues")


def _item_kind_or_404(request: HttpRequest, item_id: int) -> kinds.ItemKind:
    item = WorkItem.objects.filter(pk=item_id, fund=fund_of(request)).first()
    kind = kinds.get(item.kind) if item else None
    if kind is None or not _works(request.user, kind):
        raise Http404("Cet élément n'existe pas.")
    return kind


@agent_required(Capability.WORK_QUEUES)
@require_POST
def take_item_view(request: HttpRequest, item_id: int) -> HttpResponse:
    _item_kind_or_404(request, item_id)
    fund = fund_of(request)
    try:
        work_services.assign_item(
            item_id=item_id, fund=fund, agent=request.user, actor=actor_of(request)
        )
    except work_services.WorkQueueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Cet élément vous est attribué.")
    back = request.POST.get("suivant", "")  # taken from the item's own page: stay there
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return _back_to_queue(item_id, fund)


@agent_required(Capability.ASSIGN_WORK)
@require_POST
def assign_item_view(request: HttpRequest, item_id: int) -> HttpResponse:
    kind = _item_kind_or_404(request, item_id)
    fund = fund_of(request)
    agents = _eligible_agents(fund, kind)
    form = forms.AssignForm(request.POST, agents=agents)
    if not form.is_valid():
        messages.error(request, "Choisissez un agent de la liste pour lui attribuer cet élément.")
        return _back_to_queue(item_id, fund)
    agent = next(a for a in agents if a.account_id == form.cleaned_data["agent"]).account
    try:
        work_services.assign_item(item_id=item_id, fund=fund, agent=agent, actor=actor_of(request))
    except work_services.WorkQueueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"L'élément est attribué à {agent.agent_profile.full_name}.")
    return _back_to_queue(item_id, fund)


@agent_required(Capability.WORK_QUEUES)
@require_POST
def release_item_view(request: HttpRequest, item_id: int) -> HttpResponse:
    _item_kind_or_404(request, item_id)
    fund = fund_of(request)
    item = WorkItem.objects.filter(pk=item_id, fund=fund).first()
    if item.assigned_to_id != request.user.pk and not can(request.user, Capability.ASSIGN_WORK):
        messages.error(
            request, "Seul l'agent à qui cet élément est attribué peut le remettre dans la file."
        )
        return _back_to_queue(item_id, fund)
    try:
        work_services.release_item(item_id=item_id, fund=fund, actor=actor_of(request))
    except work_services.WorkQueueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "L'élément est remis dans la file.")
    return _back_to_queue(item_id, fund)


@agent_required(Capability.ASSIGN_WORK)
def dashboard_view(request: HttpRequest) -> HttpResponse:
    fund = fund_of(request)
    summaries = work_selectors.queue_summaries(fund=fund)
    workload = work_selectors.workload_by_agent(fund=fund)
    agents = {a.account_id: a for a in identity_selectors.agents_of_fund(fund_id=fund.pk)}
    rows = [
        {
            "agent": agents.get(row["assigned_to"]),
            "count": row["count"],
            "oldest_at": row["oldest_at"],
        }
        for row in workload
    ]
    return render(
        request,
        "backoffice/dashboard.html",
        {
            "summaries": summaries,
            "workload": rows,
            "now": timezone.now(),
            "satisfaction": complementary_selectors.satisfaction_summary(fund_id=fund.pk),
        },
    )
