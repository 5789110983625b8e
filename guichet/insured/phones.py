"""French phone numbers, checked and written by libphonenumber (the `phonenumbers` package)."""

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

OVERSEAS = ("GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF")  # their numbers are typed 0690…, 0262…
FRENCH_REGIONS = {"FR", *OVERSEAS}


class InvalidPhone(ValueError):
    pass


def _parse_french(raw: str) -> phonenumbers.PhoneNumber:
    """A number typed the national way may belong to mainland France or to an overseas one."""
    number = phonenumbers.parse(raw, "FR")
    if not phonenumbers.is_valid_number(number) and raw.lstrip().startswith("0"):
        for region in OVERSEAS:
            overseas = phonenumbers.parse(raw, region)
            if phonenumbers.is_valid_number(overseas):
                return overseas
    return number


def parse(raw: str, *, mobile: bool) -> str:
    """'06 06 06 06 06' → '+33606060606'; the message of InvalidPhone says what is wrong."""
    try:
        number = _parse_french(raw)
    except NumberParseException:
        raise InvalidPhone(
            "Saisissez un numéro de téléphone, par exemple 06 12 34 56 78."
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone("Ce numéro de téléphone n'existe pas : vérifiez les chiffres saisis.")
    kind = phonenumbers.number_type(number)
    if mobile and kind not in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        raise InvalidPhone(
            "Ce numéro n'est pas celui d'un téléphone portable (il commence en général par 06 ou 07)."
        )
    if not mobile and kind == PhoneNumberType.MOBILE:
        raise InvalidPhone(
            "Ce numéro est celui d'un téléphone portable : indiquez-le comme téléphone portable."
        )
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def display(e164: str) -> str:
    """'+33606060606' → '06 06 06 06 06' (international format for foreign numbers)."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164, "FR")
    french = phonenumbers.region_code_for_number(number) in FRENCH_REGIONS
    style = PhoneNumberFormat.NATIONAL if french else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)
