"""Filters of the back office's pages."""

import datetime as dt

from django import template

register = template.Library()


@register.filter
def duration_fr(value: dt.timedelta | None) -> str:
    """'3 j 4 h', '1 j', '2 h 05 min', '12 min': an age or a delay, as an agent reads it."""
    if value is None:
        return "—"
    minutes = max(int(value.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} j {hours} h" if hours else f"{days} j"
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min"


@register.filter
def since(value: dt.datetime | None, now: dt.datetime) -> dt.timedelta | None:
    return now - value if value else None
