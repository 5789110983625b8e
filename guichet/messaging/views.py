"""Ma messagerie: the inbox, a message and its thread, deleting, the PDF, the attachments."""

from django.conf import settings
from django.contrib import messages as flash
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from guichet.core.http import actor_of, pdf_response
from guichet.identity.perms import member_required
from guichet.messaging import documents, selectors, services
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


def attachment_response(attachment) -> FileResponse:
    """The file as a download, never shown inline: the browser must not run it."""
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
