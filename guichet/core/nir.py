"""The NIR (numéro de sécurité sociale): normalise, check and format it.

python-stdnum checks the length, the Corsican 2A/2B and the key; the structure rules of
reference/rules.md §1.4.8 (sex, month, place of birth) are checked on top for what people type.
"""

import re

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import nir as stdnum_nir

# sex · year · month (01-12, or 20-42 / 50-99 when unknown) · place of birth (5) · order (3)
STRUCTURE = re.compile(
    r"^[1278]\d{2}(?:0[1-9]|1[0-2]|[2-3]\d|4[0-2]|[5-9]\d)(?:0[1-9]|[1-9]\d|2A|2B)\d{6}$"
)


class InvalidNir(ValueError):
    """The text typed is not a NIR; the message says why, in French."""


def normalize(raw: str) -> str:
    """Drop spaces, dots and dashes, upper-case the Corsican letters."""
    return re.sub(r"[\s.\-]", "", raw or "").upper()


def compute_key(nir13: str) -> str:
    """The two-digit key: 97 - (the 13 characters as a number, 2A→19, 2B→18) mod 97."""
    digits = nir13[:5] + nir13[5:7].replace("2A", "19").replace("2B", "18") + nir13[7:]
    return f"{97 - int(digits) % 97:02d}"


def parse(raw: str) -> str:
    """The 13-character NIR from what a person typed (13 characters, or 15 with the key)."""
    value = normalize(raw)
    if len(value) not in (13, 15) or not re.fullmatch(r"[0-9AB]+", value):
        raise InvalidNir(
            "Saisissez les 13 caractères de votre numéro de sécurité sociale "
            "(des chiffres, ou 2A / 2B pour une naissance en Corse)."
        )
    if not STRUCTURE.match(value[:13]):
        raise InvalidNir(
            "Ce numéro de sécurité sociale n'est pas valide : vérifiez-le sur votre carte Vitale."
        )
    if len(value) == 15:
        try:
            stdnum_nir.validate(value)
        except StdnumError:
            raise InvalidNir(
                "La clé (les 2 derniers chiffres) ne correspond pas au numéro : vérifiez votre saisie."
            ) from None
    return value[:13]


def is_valid_full(nir15: str) -> bool:
    """A complete NIR with its key, as the registry stores it."""
    value = normalize(nir15)
    return len(value) == 15 and bool(STRUCTURE.match(value[:13])) and stdnum_nir.is_valid(value)


def format_nir(nir13: str, key: str = "") -> str:
    """'1 74 11 71 270 102' or, with the key, '1 74 11 71 270 102 58'."""
    parts = [nir13[0], nir13[1:3], nir13[3:5], nir13[5:7], nir13[7:10], nir13[10:13]]
    if key:
        parts.append(key)
    return " ".join(parts)
