from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from guichet.identity.perms import member_required
from guichet.insured import phones


@member_required
def home_view(request: HttpRequest) -> HttpResponse:
    person = request.user.insured_person
    return render(
        request,
        "home/home.html",
        {
            "person": person,
            "account": request.user,
            "phone_display": phones.display(person.mobile_phone or person.landline_phone),
            "latest_payments": [],  # the payments app will fill this (issue "Payments and statements")
            "notifications_count": 0,
            "messages_count": 0,
        },
    )
