"""The agents' second factor: time-based one-time codes (RFC 6238) from an authenticator app.

pyotp computes and checks the codes; segno draws the enrolment QR code as SVG, shown as a
data: URI (the CSP allows data: images, and no script is needed). See ADR 0020.
"""

import secrets
import time

import pyotp
import segno

from guichet.core.digits import is_digits

# A code is accepted one 30-second step either side of now: clocks drift, people type slowly.
VALID_WINDOW = 1
STEP_SECONDS = 30  # pyotp's default interval: a step number times this is its time
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def new_secret() -> str:
    """160 random bits in base32, as authenticator apps expect."""
    return pyotp.random_base32(length=32)


def provisioning_uri(*, secret: str, account_name: str, issuer: str) -> str:
    """otpauth://totp/… that the app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=issuer)


def qr_code_data_uri(uri: str) -> str:
    """The QR code of `uri` as an SVG image in a data: URI, dark on white, quiet zone included."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, dark="#000", light="#fff")


def grouped(secret: str) -> str:
    """'ABCD EFGH …': the secret as a person types it into an app, four letters at a time."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def matching_step(
    secret: str, code: str, *, after: int | None, now: float | None = None
) -> int | None:
    """The time step whose code was typed, if it is valid and later than `after` (no replay)."""
    code = "".join(code.split())
    if not (is_digits(code) and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    now = time.time() if now is None else now
    current = int(now // totp.interval)
    for step in range(current - VALID_WINDOW, current + VALID_WINDOW + 1):
        if (after is None or step > after) and secrets.compare_digest(
            totp.generate_otp(step), code
        ):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Ten 'abcd-efgh' codes: 40 random bits each, easy to read aloud and type."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(8))
        codes.append(f"{raw[:4]}-{raw[4:]}")
    return codes


def normalize_recovery_code(code: str) -> str:
    raw = "".join(ch for ch in code.lower() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == 8 else ""
