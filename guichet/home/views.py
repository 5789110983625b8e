from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.complementary.prompt import dialog_due
from guichet.identity.perms import member_required
from guichet.insured import phones
from guichet.messaging import selectors as messaging_selectors
from guichet.messaging.context_processors import unread_of_request
from guichet.payments import selectors as payment_selectors


@member_required
def home_view(request: HttpRequest) -> HttpResponse:
    person = request.user.insured_person
    notifications = payment_selectors.notifications_for(member=person)
    unread = unread_of_request(request)
    # The latest unread notices and message of the fund, read only when there are some.
    notices = (
        messaging_selectors.unread_notifications(person=person) if unread.notifications else []
    )
    newest = messaging_selectors.newest_unread_message(person=person) if unread.messages else None
    return render(
        request,
        "home/home.html",
        {
            "person": person,
            "account": request.user,
            "phone_display": phones.display(person.mobile_phone or person.landline_phone),
            "latest_payments": payment_selectors.latest_payments(member=person, count=5),
            "notifications": notifications,  # computed by payments from the state of payments
            "notices": notices,
            "newest_message": newest,
            "notifications_count": len(notifications) + unread.notifications,
            "messages_count": unread.messages,
            "overlap_dialog": dialog_due(request),
        },
    )


@member_required
def procedures_view(request: HttpRequest) -> HttpResponse:
    """ "Mes démarches": every document and démarche, those available and those to come."""
    return render(request, "home/procedures.html")
