"""Pierre BELAGE's four payment notices of seed 000, with the seed's dates and amounts; their
16 digits are the seed's, their letter is Guichet's check letter (ADR 0070)."""

import datetime as dt
from decimal import Decimal

from guichet.core.actors import SYSTEM
from guichet.debts import services
from guichet.insured.models import InsuredPerson

PIERRE = "1830275056123"
# (digits, emission date, initial amount due, amount still due) — seed 000, step 2/3
PIERRE_NOTICES = [
    ("3811701200010075", dt.date(2016, 5, 12), "50.00", "12.50"),
    ("3811702400012980", dt.date(2015, 9, 12), "50.00", "6.60"),
    ("3811708600076602", dt.date(2014, 2, 20), "50.00", "26.90"),
    ("3811708600079999", dt.date(2020, 2, 20), "50.00", "10.36"),
]


def load() -> int:
    pierre = InsuredPerson.objects.select_related("fund").get(nir=PIERRE)
    for digits, issued_on, initial, remaining in PIERRE_NOTICES:
        services.issue_notice(
            member=pierre,
            amount=Decimal(initial),
            remaining=Decimal(remaining),
            issued_on=issued_on,
            digits=digits,
            actor=SYSTEM,
        )
    return len(PIERRE_NOTICES)
