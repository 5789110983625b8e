"""Read Guichet's configuration from the environment, and fail loudly where a default would be unsafe."""

import os
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def text(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def flag(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r}: expected 1/0, true/false, yes/no or on/off.")


def integer(name: str, default: int, *, low: int | None = None, high: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number.") from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise ImproperlyConfigured(f"{name}={raw!r}: expected a whole number from {low} to {high}.")
    return value


def decimal(name: str, default: str) -> Decimal:
    raw = os.environ.get(name, "").strip() or default
    try:
        return Decimal(raw.replace(",", "."))
    except InvalidOperation:
        raise ImproperlyConfigured(f"{name}={raw!r}: expected an amount such as 16.00.") from None


def words(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def required(name: str, *, unless: bool, fallback: str) -> str:
    """A secret production must set; the demo and development may use the fallback."""
    value = os.environ.get(name, "")
    if value:
        return value
    if unless:
        return fallback
    raise ImproperlyConfigured(
        f"{name} must be set in production (see docs/environment.md). "
        "To try Guichet on a laptop, set GUICHET_DEMO=1 or use `make run`."
    )


def choice(name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = os.environ.get(name, "").strip() or default
    if value not in allowed:
        raise ImproperlyConfigured(f"{name}={value!r}: expected one of {', '.join(allowed)}.")
    return value


def origins(*urls: str) -> list[str]:
    """'https://host:port' of each URL that has one, for a Content-Security-Policy source list."""
    parts = [urlsplit(url) for url in urls if url]
    return [f"{part.scheme}://{part.netloc}" for part in parts if part.scheme and part.netloc]
