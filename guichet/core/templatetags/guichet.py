"""Template filters every page uses: money, dates, NIR — written the French way."""

import datetime as dt
from decimal import Decimal

from django import template
from django.urls import reverse
from django.utils import timezone

from guichet.core import money, nir

register = template.Library()

SHORT_MONTHS = [
    "JANV.",
    "FÉVR.",
    "MARS",
    "AVR.",
    "MAI",
    "JUIN",
    "JUIL.",
    "AOÛT",
    "SEPT.",
    "OCT.",
    "NOV.",
    "DÉC.",
]
MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip


@register.filter
def euros(value: Decimal | int | str | None) -> str:
    """1120 → '1 120,00 €'; nothing for a missing value (a template's unknown variable is '')."""
    return "" if value is None or value == "" else money.format_euros(value)


@register.filter
def nir_display(value: str, key: str = "") -> str:
    """'1741171270102' → '1 74 11 71 270 102'."""
    return nir.format_nir(value, key) if value else ""


def _local(value: dt.date | dt.datetime) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def date_fr(value: dt.date | dt.datetime | None) -> str:
    """'05/11/2024'."""
    return _local(value).strftime("%d/%m/%Y") if value else ""


@register.filter
def time_fr(value: dt.datetime | None) -> str:
    """'16:17'."""
    return _local(value).strftime("%H:%M") if value else ""


@register.filter
def day_month_short(value: dt.date | dt.datetime | None) -> str:
    """'14 NOV.' as the seeds' payment lists write it (a moment counts on its Paris day)."""
    if not value:
        return ""
    day = _local(value)
    return f"{day.day:02d} {SHORT_MONTHS[day.month - 1]}"


@register.filter
def date_long(value: dt.date | dt.datetime | None) -> str:
    """'22 novembre 1974' (a moment counts on its Paris day)."""
    if not value:
        return ""
    day = _local(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


@register.filter
def mask_email(value: str) -> str:
    """'renaldo.zovi@example.org' → 'r•••@example.org': enough to recognise, not to harvest."""
    if not value or "@" not in value:
        return value or ""
    local, domain = value.split("@", 1)
    return f"{local[:1]}•••@{domain}"


@register.simple_tag(takes_context=True)
def payment_url(context, payment_id: int) -> str:
    """A payment's detail: the member's own page, or, on an agent's screen of a person's file
    (`file_person` in the context), the back office's."""
    person = context.get("file_person")
    if person is not None:
        return reverse("backoffice:member_payment", args=[person.pk, payment_id])
    return reverse("payments:detail", args=[payment_id])
