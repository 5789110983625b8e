"""The superviseur's screens: the audit journal, the fund's agents, the reference data."""

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from guichet.backoffice import forms, referentials
from guichet.backoffice.common import ACTION_LABELS, fund_of, paginate, query_without_page
from guichet.backoffice.perms import Capability, agent_required
from guichet.core.actors import ActorKind
from guichet.core.forms import posted
from guichet.core.http import actor_of
from guichet.core.models import AuditEvent
from guichet.core.selectors import audit_events_about_target
from guichet.identity import selectors as identity_selectors
from guichet.identity import services as identity_services
from guichet.insured import selectors as insured_selectors


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@agent_required(Capability.READ_JOURNAL)
def journal_view(request: HttpRequest) -> HttpResponse:
    fund = fund_of(request)
    agents = list(identity_selectors.agents_of_fund(fund_id=fund.pk))
    agent_ids = [str(agent.account_id) for agent in agents]
    filtered = any(
        request.GET.get(name) for name in ("nir", "agent", "action", "date_from", "date_to")
    )
    form = forms.JournalFilterForm(
        request.GET if filtered else None,
        agents=agents,
        actions=sorted(ACTION_LABELS.items(), key=lambda a: a[1]),
    )
    # The fund's part of the journal: what concerns its members, what its agents did, and what
    # happened to its agents' accounts (their logins, before they are anyone).
    events = AuditEvent.objects.filter(
        Q(person_id__in=insured_selectors.persons_of_fund(fund_id=fund.pk).values("pk"))
        | Q(actor_kind=ActorKind.AGENT, actor_id__in=agent_ids)
        | Q(target_type="identity.account", target_id__in=agent_ids)
    )
    if filtered and form.is_valid():
        data = form.cleaned_data
        if data["nir"]:
            person = (
                insured_selectors.persons_of_fund(fund_id=fund.pk).filter(nir=data["nir"]).first()
            )
            events = events.filter(person_id=person.pk if person else -1)
        if data["agent"]:
            agent_id = str(data["agent"])
            events = events.filter(
                Q(actor_kind=ActorKind.AGENT, actor_id=agent_id)
                | Q(target_type="identity.account", target_id=agent_id, person_id__isnull=True)
            )
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["date_from"]:
            events = events.filter(occurred_at__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            events = events.filter(
                occurred_at__lt=_day_start(data["date_to"] + dt.timedelta(days=1))
            )
    elif filtered:
        events = events.none()
    page = paginate(request, events.order_by("-occurred_at", "-id"), per_page=25)
    names = {str(agent.account_id): agent.full_name for agent in agents}
    persons = {
        p.pk: p
        for p in insured_selectors.persons_of_fund(fund_id=fund.pk).filter(
            pk__in=[e.person_id for e in page if e.person_id]
        )
    }
    rows = [
        {
            "event": event,
            "label": ACTION_LABELS.get(event.action, event.action),
            "who": _who(event, names),
            "person": persons.get(event.person_id),
            "details": _details(event),
        }
        for event in page
    ]
    return render(
        request,
        "backoffice/journal.html",
        {"form": form, "page": page, "rows": rows, "query": query_without_page(request)},
    )


def _who(event: AuditEvent, names: dict[str, str]) -> str:
    if event.actor_kind == ActorKind.AGENT:
        return names.get(event.actor_id, "Agent d'une autre caisse")
    if event.target_type == "identity.account" and event.target_id in names:
        return names[event.target_id]  # an agent logging in, not yet signed in
    return event.get_actor_kind_display()


DETAIL_LABELS = {
    "reason": "Motif",
    "tab": "Onglet",
    "criteria": "Critères",
    "results": "Résultats",
    "kind": "File",
    "role": "Rôle",
    "method": "Méthode",
    "factor": "Étape",
}


def _details(event: AuditEvent) -> list[tuple[str, str]]:
    details = event.details or {}
    shown = []
    for key, label in DETAIL_LABELS.items():
        if key in details:
            value = details[key]
            shown.append(
                (label, ", ".join(map(str, value)) if isinstance(value, list) else str(value))
            )
    return shown


# --- Agents --------------------------------------------------------------------------------------


@agent_required(Capability.MANAGE_AGENTS)
def agents_view(request: HttpRequest) -> HttpResponse:
    agents = identity_selectors.agents_of_fund(fund_id=fund_of(request).pk)
    return render(request, "backoffice/agents.html", {"agents": agents, "now": timezone.now()})


@agent_required(Capability.MANAGE_AGENTS)
@require_http_methods(["GET", "POST"])
def agent_create_view(request: HttpRequest) -> HttpResponse:
    form = forms.AgentCreateForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            identity_services.create_agent(
                fund=fund_of(request),
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                actor=actor_of(request),
            )
        except identity_services.IdentityError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                f"Le compte de {data['first_name']} {data['last_name'].upper()} est créé ; "
                "un mot de passe provisoire lui est envoyé par e-mail.",
            )
            return redirect("backoffice:agents")
    return render(request, "backoffice/agent_create.html", {"form": form})


def _agent_or_404(request: HttpRequest, account_id: int):
    agent = identity_selectors.agent_of_fund(fund_id=fund_of(request).pk, account_id=account_id)
    if agent is None:
        raise Http404("Cet agent n'est pas dans votre caisse.")
    return agent


@agent_required(Capability.MANAGE_AGENTS)
def agent_view(request: HttpRequest, account_id: int) -> HttpResponse:
    agent = _agent_or_404(request, account_id)
    return render(request, "backoffice/agent.html", {"agent": agent, "now": timezone.now()})


AGENT_ACTIONS = {
    "unlock": {
        "service": lambda agent, reason, actor: identity_services.unlock_account(
            account=agent.account, reason=reason, actor=actor
        ),
        "title": "Débloquer l'accès de l'agent",
        "button": "Débloquer",
        "done": "L'accès de l'agent est débloqué.",
    },
    "reset_totp": {
        "service": lambda agent, reason, actor: identity_services.reset_second_factor(
            agent=agent.account, reason=reason, actor=actor
        ),
        "title": "Réinitialiser la double authentification",
        "button": "Réinitialiser",
        "done": "La double authentification est réinitialisée : l'agent en activera une nouvelle "
        "à sa prochaine connexion.",
    },
    "new_password": {
        "service": lambda agent, reason, actor: identity_services.reissue_agent_password(
            agent=agent.account, reason=reason, actor=actor
        ),
        "title": "Envoyer un mot de passe provisoire",
        "button": "Envoyer",
        "done": "Un mot de passe provisoire, valable 72 heures, est envoyé à l'agent par e-mail.",
    },
    "close": {
        "service": lambda agent, reason, actor: identity_services.close_agent_account(
            agent=agent.account, reason=reason, actor=actor
        ),
        "title": "Fermer le compte de l'agent",
        "button": "Fermer le compte",
        "done": "Le compte de l'agent est fermé : il ne peut plus se connecter.",
    },
}


def _agent_action_view(action: str):
    spec = AGENT_ACTIONS[action]

    @agent_required(Capability.MANAGE_AGENTS)
    @require_http_methods(["GET", "POST"])
    def view(request: HttpRequest, account_id: int) -> HttpResponse:
        agent = _agent_or_404(request, account_id)
        form = forms.ReasonForm(posted(request))
        if request.method == "POST" and form.is_valid():
            try:
                spec["service"](agent, form.cleaned_data["reason"], actor_of(request))
            except identity_services.IdentityError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, spec["done"])
                return redirect("backoffice:agent", agent.account_id)
        return render(
            request, "backoffice/agent_action.html", {"agent": agent, "form": form, "spec": spec}
        )

    view.__name__ = f"agent_{action}_view"
    return view


agent_unlock_view = _agent_action_view("unlock")
agent_reset_totp_view = _agent_action_view("reset_totp")
agent_close_view = _agent_action_view("close")
agent_new_password_view = _agent_action_view("new_password")


# --- Reference data ------------------------------------------------------------------------------


def _table_or_404(slug: str) -> referentials.ReferenceTable:
    table = referentials.TABLES.get(slug)
    if table is None:
        raise Http404("Ce référentiel n'existe pas.")
    return table


@agent_required(Capability.EDIT_REFERENCE_DATA)
def referentials_view(request: HttpRequest) -> HttpResponse:
    return render(
        request, "backoffice/referentials.html", {"tables": list(referentials.TABLES.values())}
    )


@agent_required(Capability.EDIT_REFERENCE_DATA)
def referential_view(request: HttpRequest, slug: str) -> HttpResponse:
    table = _table_or_404(slug)
    rows = [
        {"pk": row.pk, "name": str(row), "cells": [getattr(row, attr) for _, attr in table.columns]}
        for row in table.rows(fund_of(request))
    ]
    return render(request, "backoffice/referential.html", {"table": table, "rows": rows})


def _row_or_404(request: HttpRequest, table: referentials.ReferenceTable, pk: int):
    row = table.rows(fund_of(request)).filter(pk=pk).first()
    if row is None:
        raise Http404("Cette ligne n'existe pas.")
    return row


def _applied(form, service: Callable[[], object]) -> bool:
    """Call the owner's service; what it refuses goes next to the form's fields."""
    try:
        service()
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return False
    return True


@agent_required(Capability.EDIT_REFERENCE_DATA)
@require_http_methods(["GET", "POST"])
def referential_edit_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    table = _table_or_404(slug)
    row = _row_or_404(request, table, pk)
    initial = {name: getattr(row, name) for name in table.form.base_fields}
    form = table.form(posted(request), initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and _applied(
            form, lambda: table.update(row=row, actor=actor_of(request), **form.cleaned_data)
        )
    ):
        messages.success(request, "Les modifications sont enregistrées.")
        return redirect("backoffice:referential", slug)
    return render(
        request, "backoffice/referential_edit.html", {"table": table, "row": row, "form": form}
    )


@agent_required(Capability.EDIT_REFERENCE_DATA)
@require_http_methods(["GET", "POST"])
def referential_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    table = _table_or_404(slug)
    if table.add_form is None or table.add is None:
        raise Http404("On n'ajoute pas de ligne à ce référentiel.")
    form = table.add_form(posted(request))
    add = table.add
    if (
        request.method == "POST"
        and form.is_valid()
        and _applied(form, lambda: add(actor=actor_of(request), **form.cleaned_data))
    ):
        messages.success(request, "La nouvelle valeur est enregistrée.")
        return redirect("backoffice:referential", slug)
    return render(request, "backoffice/referential_add.html", {"table": table, "form": form})


@agent_required(Capability.EDIT_REFERENCE_DATA)
def referential_history_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    table = _table_or_404(slug)
    row = _row_or_404(request, table, pk)
    events = audit_events_about_target(target_type=row._meta.label_lower, target_id=str(row.pk))
    page = paginate(request, events)
    agents = {
        str(a.account_id): a.full_name
        for a in identity_selectors.agents_of_fund(fund_id=fund_of(request).pk)
    }
    changes = [
        {
            "event": event,
            "who": agents.get(event.actor_id, event.get_actor_kind_display()),
            "changes": [
                (table.field_labels.get(name, name), before, after)
                for name, (before, after) in (event.details or {}).get("changes", {}).items()
            ],
        }
        for event in page
    ]
    return render(
        request,
        "backoffice/referential_history.html",
        {"table": table, "row": row, "page": page, "changes": changes},
    )
