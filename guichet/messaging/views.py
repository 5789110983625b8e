"""Ma messagerie: the inbox, a message and its thread, deleting, the PDF, the attachments."""

from django.conf import settings
from django.contrib import messages as flash
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guichet.core.digits import posted_id
from guichet.core.forms import posted
from guichet.core.http import actor_of, pdf_response
from guichet.identity.perms import member_required
from guichet.messaging import documents, selectors, services
from guichet.messaging.downloads import attachment_response
from guichet.messaging.enums import Sender
from guichet.messaging.forms import PaymentInformationForm, QuestionForm, ReplyForm
from guichet.messaging.models import Message


def _message_or_404(request: HttpRequest, message_id: int) -> Message:
    message = selectors.message_of(person=request.user.insured_person, message_id=message_id)
    if message is None:
        raise Http404("Ce message n'existe pas ou n'est pas le vôtre.")
    return message


@member_required
@require_GET
def inbox_view(request: HttpRequest) -> HttpResponse:
    person = request.user.insured_person
    return render(
        request,
        "messaging/inbox.html",
        {
            "received": selectors.inbox(person=person),
            "sent": selectors.sent_messages(person=person),
            "draft": selectors.draft_of(person=person),
            "sender_name": settings.GUICHET_ORGANISATION_NAME,
        },
    )


@member_required
@require_GET
def message_view(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message_or_404(request, message_id)
    services.mark_read(message=message)
    return render(
        request,
        "messaging/message.html",
        {
            "message": message,
            "thread": selectors.thread_messages(message=message),
            "sender_name": settings.GUICHET_ORGANISATION_NAME,
            "can_reply": message.thread.started_by == Sender.MEMBER,
        },
    )


@member_required
@require_GET
def print_view(request: HttpRequest, message_id: int) -> HttpResponse:
    """The message alone, laid out for paper; the browser's print command does the rest."""
    message = _message_or_404(request, message_id)
    return render(
        request,
        "messaging/print.html",
        {"message": message, "sender_name": settings.GUICHET_ORGANISATION_NAME},
    )


@member_required
@require_http_methods(["GET", "POST"])
def delete_view(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message_or_404(request, message_id)
    if request.method == "POST":
        services.delete_message(message=message, actor=actor_of(request))
        flash.success(request, f"Le message « {message.subject} » a été supprimé.")
        return redirect("messaging:inbox")
    return render(
        request,
        "messaging/delete.html",
        {"message": message, "sender_name": settings.GUICHET_ORGANISATION_NAME},
    )


@member_required
@require_GET
def message_pdf_view(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message_or_404(request, message_id)
    content = documents.message_pdf(message=message, issued_on=timezone.localdate())
    return pdf_response(content, f"message-{message.pk}.pdf")


@member_required
@require_GET
def attachment_view(request: HttpRequest, attachment_id: int) -> FileResponse:
    attachment = selectors.attachment_of(
        person=request.user.insured_person, attachment_id=attachment_id
    )
    if attachment is None:
        raise Http404("Cette pièce jointe n'existe pas ou n'est pas la vôtre.")
    return attachment_response(attachment)


@member_required
@require_http_methods(["GET", "POST"])
def write_view(request: HttpRequest) -> HttpResponse:
    """ "J'ai une question": topic, subject, text and files; "Enregistrer le brouillon" keeps it."""
    person = request.user.insured_person
    if request.method == "POST" and request.POST.get("action") == "draft":
        topic = selectors.active_topic(topic_id=posted_id(request.POST.get("topic")))
        services.save_draft(
            person=person,
            topic=topic,
            subject=request.POST.get("subject", ""),
            body=request.POST.get("body", ""),
        )
        if request.POST.get("silent"):  # kept by the page's script as the member leaves
            return HttpResponse(status=204)
        flash.success(request, "Votre brouillon est enregistré : vous pourrez le reprendre ici.")
        return redirect("messaging:inbox")
    draft = selectors.draft_of(person=person)
    initial = (
        {"topic": draft.topic_id, "subject": draft.subject, "body": draft.body} if draft else {}
    )
    form = QuestionForm(posted(request), request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid() and _within_daily_limit(request, form):
        message = services.ask_question(
            person=person,
            topic=form.cleaned_data["topic"],
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            attachments=form.attachments(),
            actor=actor_of(request),
        )
        return redirect("messaging:sent", message_id=message.pk)
    return render(
        request,
        "messaging/write.html",
        {"form": form, "draft": draft, "answer_hours": settings.GUICHET_ANSWER_DELAY_HOURS},
    )


def _within_daily_limit(request: HttpRequest, form) -> bool:
    """A member writes at most GUICHET_MESSAGES_PER_DAY messages a day: the queue stays usable."""
    limit = settings.GUICHET_MESSAGES_PER_DAY
    if selectors.messages_written_today(person=request.user.insured_person) < limit:
        return True
    form.add_error(
        None,
        f"Vous avez déjà envoyé {limit} messages aujourd'hui : votre caisse les traite. "
        "Vous pourrez écrire de nouveau demain, ou appeler le 36 46.",
    )
    return False


@member_required
@require_GET
def sent_view(request: HttpRequest, message_id: int) -> HttpResponse:
    """The acknowledgment: the message left, and when to expect the answer."""
    message = _message_or_404(request, message_id)
    if message.sender != Sender.MEMBER:
        raise Http404("Ce message n'est pas l'un des vôtres.")
    return render(
        request,
        "messaging/sent.html",
        {"message": message, "answer_hours": settings.GUICHET_ANSWER_DELAY_HOURS},
    )


@member_required
@require_http_methods(["GET", "POST"])
def reply_view(request: HttpRequest, message_id: int) -> HttpResponse:
    message = _message_or_404(request, message_id)
    if message.thread.started_by != Sender.MEMBER:
        raise Http404("On ne répond pas à ce message : écrivez un nouveau message.")
    form = ReplyForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid() and _within_daily_limit(request, form):
        reply = services.reply_as_member(
            thread=message.thread,
            body=form.cleaned_data["body"],
            attachments=form.attachments(),
            actor=actor_of(request),
        )
        return redirect("messaging:sent", message_id=reply.pk)
    return render(request, "messaging/reply.html", {"form": form, "message": message})


# --- notifications ----------------------------------------------------------------------------------


@member_required
@require_GET
def notifications_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "messaging/notifications.html",
        {"notifications": selectors.notifications_of(person=request.user.insured_person)},
    )


@member_required
@require_GET
def notification_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Following a notification's link marks it read, then leads where to act."""
    notification = selectors.notification_of(
        person=request.user.insured_person, notification_id=notification_id
    )
    if notification is None:
        raise Http404("Cette notification n'existe pas ou n'est pas la vôtre.")
    services.mark_notification_read(notification=notification)
    if not url_has_allowed_host_and_scheme(notification.url, allowed_hosts=None):
        return redirect("messaging:notifications")  # only links inside Guichet are followed
    return redirect(notification.url)


@member_required
@require_POST
def notifications_read_view(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_notifications_read(person=request.user.insured_person)
    if count:
        flash.success(request, "Toutes vos notifications sont marquées comme lues.")
    return redirect("messaging:notifications")


@member_required
@require_http_methods(["GET", "POST"])
def payment_information_view(request: HttpRequest) -> HttpResponse:
    """Opting out of (or back into) the weekly "Information de paiement" e-mail."""
    person = request.user.insured_person
    enabled = selectors.payment_information_enabled(person=person)
    form = PaymentInformationForm(posted(request), initial={"enabled": enabled})
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["enabled"]
        services.set_payment_information(person=person, enabled=chosen, actor=actor_of(request))
        flash.success(
            request,
            "Vous recevrez l'e-mail « Information de paiement »."
            if chosen
            else "Vous ne recevrez plus l'e-mail « Information de paiement ».",
        )
        return redirect("insured:contact_permissions")
    return render(
        request,
        "messaging/payment_information.html",
        {"form": form, "contact_by_email": person.contact_by_email},
    )
