"""A member's thread for the agents: read it, answer it from a template, leave internal notes."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from guichet.backoffice.common import fund_of
from guichet.backoffice.perms import Capability, agent_required, can
from guichet.core.http import actor_of
from guichet.core.services import record_audit
from guichet.identity import selectors as identity_selectors
from guichet.messaging import selectors, services
from guichet.messaging.downloads import attachment_response
from guichet.messaging.forms import AnswerForm, NoteForm
from guichet.workqueues import kinds
from guichet.workqueues import selectors as work_selectors


def _thread_or_404(request: HttpRequest, person_id: int, thread_id: int):
    thread = selectors.thread_of_fund(
        fund_id=fund_of(request).pk, person_id=person_id, thread_id=thread_id
    )
    if thread is None:
        raise Http404("Cet échange n'existe pas dans votre caisse.")
    return thread


def _may_answer(user) -> bool:
    kind = kinds.get(services.MEMBER_QUESTION)
    return can(user, Capability.ASSIGN_WORK) or (
        kind is not None
        and can(user, Capability.WORK_QUEUES)
        and user.agent_profile.role in kind.roles
    )


def _render_thread(request, thread, *, answer_form=None, note_form=None, status=200):
    fund = fund_of(request)
    kind = kinds.get(services.MEMBER_QUESTION)
    items = [
        item
        for item in work_selectors.pending_items_about(fund=fund, person_id=thread.person_id)
        if item.kind == services.MEMBER_QUESTION and item.target_id == str(thread.pk)
    ]
    item = items[0] if items else None
    now = timezone.now()
    agents = {a.account_id: a.full_name for a in identity_selectors.agents_of_fund(fund_id=fund.pk)}
    templates = list(selectors.reply_templates())
    chosen = next((t for t in templates if str(t.pk) == request.GET.get("modele")), None)
    may_answer = _may_answer(request.user)
    if answer_form is None and may_answer:
        answer_form = AnswerForm(initial={"body": chosen.body} if chosen else None)
    history = selectors.thread_history(thread=thread)
    for message in history:
        message.agent_name = agents.get(message.agent_id, "")
    notes = selectors.notes_of(thread=thread)
    for note in notes:
        note.agent_name = agents.get(note.agent_id, "Un agent")
    return render(
        request,
        "messaging/backoffice/thread.html",
        {
            "thread": thread,
            "person": thread.person,
            "history": history,
            "notes": notes,
            "item": item,
            "age": (now - item.created_at) if item else None,
            "assigned_name": agents.get(item.assigned_to_id, "") if item else "",
            "late": bool(item and kind and now - item.created_at > kind.sla),
            "sla": kind.sla if kind else None,
            "templates": templates,
            "chosen": chosen,
            "answer_form": answer_form if may_answer else None,
            "note_form": note_form or NoteForm(),
        },
        status=status,
    )


@agent_required(Capability.VIEW_MEMBER_FILE)
@require_GET
def thread_view(request: HttpRequest, person_id: int, thread_id: int) -> HttpResponse:
    thread = _thread_or_404(request, person_id, thread_id)
    record_audit(
        actor=actor_of(request),
        action="message_thread.viewed",
        person_id=thread.person_id,
        target=thread,
    )
    return _render_thread(request, thread)


@agent_required(Capability.WORK_QUEUES)
@require_POST
def answer_view(request: HttpRequest, person_id: int, thread_id: int) -> HttpResponse:
    thread = _thread_or_404(request, person_id, thread_id)
    if not _may_answer(request.user):
        raise Http404("Vous ne traitez pas les questions des assurés.")
    form = AnswerForm(request.POST, request.FILES or None)
    if not form.is_valid():
        return _render_thread(request, thread, answer_form=form)
    services.answer_question(
        thread=thread,
        agent=request.user,
        body=form.cleaned_data["body"],
        attachments=form.attachments(),
        actor=actor_of(request),
    )
    messages.success(
        request,
        "Votre réponse est envoyée. L'assuré est prévenu par e-mail qu'un message l'attend.",
    )
    return redirect("backoffice:message_thread", person_id, thread_id)


@agent_required(Capability.VIEW_MEMBER_FILE)
@require_POST
def note_view(request: HttpRequest, person_id: int, thread_id: int) -> HttpResponse:
    thread = _thread_or_404(request, person_id, thread_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _render_thread(request, thread, note_form=form)
    services.add_internal_note(
        thread=thread, agent=request.user, body=form.cleaned_data["note"], actor=actor_of(request)
    )
    messages.success(request, "La note interne est enregistrée.")
    return redirect("backoffice:message_thread", person_id, thread_id)


@agent_required(Capability.VIEW_MEMBER_FILE)
@require_GET
def attachment_view(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = selectors.attachment_of_fund(
        fund_id=fund_of(request).pk, attachment_id=attachment_id
    )
    if attachment is None:
        raise Http404("Cette pièce jointe n'existe pas dans votre caisse.")
    record_audit(
        actor=actor_of(request),
        action="message_attachment.downloaded",
        person_id=attachment.message.person_id,
        target=attachment,
    )
    return attachment_response(attachment)
