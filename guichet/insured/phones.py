"""French phone numbers, checked and written by libphonenumber (the `phonenumbers` package)."""

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType


class InvalidPhone(ValueError):
    pass


def parse(raw: str, *, mobile: bool) -> str:
    """'06 06 06 06 06' → '+33606060606'; the message of InvalidPhone says what is wrong."""
    try:
        number = phonenumbers.parse(raw, "FR")
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
    style = (
        PhoneNumberFormat.NATIONAL if number.country_code == 33 else PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
