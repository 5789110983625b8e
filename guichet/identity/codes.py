"""The codes a member types: personal code rules, provisional codes, e-mailed one-time codes."""

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

PERSONAL_CODE_MIN = 8
PERSONAL_CODE_MAX = 50
# Specials a kiosk keyboard offers (reference/rules.md §1.3).
SPECIALS = "?!$€£@&(-+_)=*%/<>,.;"
ALLOWED = re.compile(r"^[A-Za-z0-9" + re.escape(SPECIALS) + r"]+$")

PERSONAL_CODE_RULES = [
    f"entre {PERSONAL_CODE_MIN} et {PERSONAL_CODE_MAX} caractères",
    "au moins une lettre minuscule",
    "au moins une lettre majuscule",
    f"au moins un chiffre ou un caractère spécial parmi {' '.join(SPECIALS)}",
]


def personal_code_problems(code: str, *, birth_date_digits: str = "", nir: str = "") -> list[str]:
    """Every rule the candidate breaks, in plain French (empty when the code is acceptable)."""
    problems = []
    if not PERSONAL_CODE_MIN <= len(code) <= PERSONAL_CODE_MAX:
        problems.append(
            f"Votre code doit comporter entre {PERSONAL_CODE_MIN} et {PERSONAL_CODE_MAX} caractères "
            f"(il en a {len(code)})."
        )
    if not re.search(r"[a-z]", code):
        problems.append("Ajoutez au moins une lettre minuscule.")
    if not re.search(r"[A-Z]", code):
        problems.append("Ajoutez au moins une lettre majuscule.")
    if not re.search(r"[0-9" + re.escape(SPECIALS) + r"]", code):
        problems.append("Ajoutez au moins un chiffre ou un caractère spécial.")
    if code and not ALLOWED.match(code):
        problems.append(
            "Utilisez seulement des lettres sans accent, des chiffres et les caractères spéciaux "
            f"{' '.join(SPECIALS)} (les espaces et les lettres accentuées ne sont pas acceptés)."
        )
    if (birth_date_digits and birth_date_digits in code) or (nir and nir[:7] in code):
        problems.append(
            "Votre code ne doit contenir ni votre date de naissance ni votre numéro de sécurité sociale."
        )
    if not problems:
        try:
            CommonPasswordValidator().validate(code)
        except ValidationError:
            problems.append("Ce code est trop courant : choisissez-en un plus difficile à deviner.")
    return problems


def new_provisional_code() -> str:
    """4 random digits."""
    return f"{secrets.randbelow(10_000):04d}"


def new_email_code() -> str:
    """6 random digits."""
    return f"{secrets.randbelow(1_000_000):06d}"


def hash_email_code(code: str, *, salt: str) -> str:
    """Keyed hash of a short-lived code: never stored in clear, useless without the secret key."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def new_device_token() -> tuple[str, str]:
    """A device cookie's token and the hash that the database keeps."""
    token = secrets.token_urlsafe(32)
    return token, hash_device_token(token)


def hash_device_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
