"""The card page's checks and Worldline's simulation rules (reference/protocols.md §2.7)."""

import datetime as dt
import re
from dataclasses import dataclass

# The first 6 digits choose the brand; the last 2 the responseCode (an unknown code gives 00).
BRANDS = {
    "340000": "AMEX", "400000": "VPAY", "410000": "VISA", "420000": "CB", "430000": "CB",
    "440000": "CB", "450000": "CB", "460000": "VISA", "500000": "MAESTRO",
    "510000": "MASTERCARD", "520000": "CB", "530000": "CB",
}  # fmt: skip
SIMULATED_CODES = {"02", "03", "05", "11", "12", "14", "17", "24", "25", "30", "34", "40",
                   "51", "54", "60", "63", "75", "90", "94", "97", "99"}  # fmt: skip


def digits(text: str) -> bool:
    """Only ASCII 0-9 ("²" passes str.isdigit() and breaks int())."""
    return text.isascii() and text.isdigit()


@dataclass(frozen=True)
class Card:
    pan: str
    month: int
    year: int

    @property
    def masked(self) -> str:
        """'4100##########00', as Sips masks a card number."""
        return self.pan[:4] + "#" * (len(self.pan) - 6) + self.pan[-2:]

    @property
    def brand(self) -> str:
        return BRANDS.get(self.pan[:6], "CB")

    @property
    def simulated_code(self) -> str:
        code = self.pan[-2:]
        return code if code in SIMULATED_CODES else "00"


def luhn_ok(pan: str) -> bool:
    total = 0
    for position, digit in enumerate(int(d) for d in reversed(pan)):
        if position % 2:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def check_card(
    *, number: str, month: str, year: str, cvv: str, today: dt.date
) -> tuple[Card | None, dict[str, str]]:
    """The card, or the French error of each field that is wrong."""
    errors = {}
    pan = re.sub(r"[\s-]", "", number)
    if not pan:
        errors["number"] = "Saisissez le numéro de votre carte."
    elif not digits(pan) or not 15 <= len(pan) <= 19:
        errors["number"] = "Le numéro de carte compte de 15 à 19 chiffres."
    elif not luhn_ok(pan):
        errors["number"] = "Ce numéro de carte n'est pas valide : vérifiez-le."
    if not (digits(month) and len(month) <= 2 and 1 <= int(month) <= 12):
        errors["month"] = "Choisissez le mois d'expiration."
    if not (digits(year) and len(year) == 4):
        errors["year"] = "Choisissez l'année d'expiration."
    dated = "month" not in errors and "year" not in errors
    if dated and (int(year), int(month)) < (today.year, today.month):
        errors["year"] = "Cette carte est expirée : vérifiez la date d'expiration."
    cvv_length = 4 if pan.startswith("34") else 3
    if not (digits(cvv) and len(cvv) == cvv_length):
        errors["cvv"] = f"Le cryptogramme visuel compte {cvv_length} chiffres, au dos de la carte."
    if errors:
        return None, errors
    return Card(pan=pan, month=int(month), year=int(year)), {}
