from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.identity.perms import member_required
from guichet.insured import phones
from guichet.messaging.context_processors import unread_of_request
from guichet.payments import selectors as payment_selectors


@member_required
def home_view(request: HttpRequest) -> HttpResponse:
    person = request.user.insured_person
    notifications = payment_selectors.notifications_for(member=person)
    return render(
        request,
        "home/home.html",
        {
            "person": person,
            "account": request.user,
            "phone_display": phones.display(person.mobile_phone or person.landline_phone),
            "latest_payments": payment_selectors.latest_payments(member=person, count=5),
            "notifications": notifications,  # a simple source until messaging owns notifications
            "notifications_count": len(notifications),
            "messages_count": unread_of_request(request).messages,
        },
    )
