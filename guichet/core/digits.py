"""Digits typed or posted by a browser: only ASCII 0-9 count.

`str.isdigit()` also says yes to "²" (which `int()` refuses) and to "٣" (which `int()` reads as 3),
and `int()` of a huge string fails or overflows the database: every posted id and code goes through
these instead.
"""

ID_MAX_DIGITS = 18  # below 2**63, the largest primary key any of our databases holds


def is_digits(value: str) -> bool:
    """Whether the text is only the digits 0 to 9, at least one."""
    return value.isascii() and value.isdigit()


def posted_id(value: object) -> int | None:
    """A primary key posted by a form or put in a URL (or a form's initial, already an int), or
    None when it cannot be one."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if 0 <= value < 10**ID_MAX_DIGITS else None
    if isinstance(value, str) and is_digits(value) and len(value) <= ID_MAX_DIGITS:
        return int(value)
    return None
