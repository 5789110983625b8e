"""Sips 2.0 as the kiosk speaks it (reference/protocols.md §2): data strings, seals, codes.

The kiosk shares no code with the portal: the two only share what goes over HTTP.
"""

import base64
import hashlib
import hmac

HMAC_SHA_256 = "HMAC-SHA-256"
# responseCode → what the receipt page says (SDK names, protocols.md §2.6)
MESSAGES = {
    "00": "Votre paiement a été accepté.",
    "02": "Votre paiement a été refusé : le plafond de la carte est atteint.",
    "05": "Votre paiement a été refusé par votre banque.",
    "11": "Votre paiement a été refusé : la carte est bloquée.",
    "14": "Votre paiement a été refusé : les coordonnées bancaires ou le cryptogramme sont invalides.",
    "17": "Vous avez annulé le paiement.",
    "34": "Votre paiement a été refusé : suspicion de fraude.",
    "51": "Votre paiement a été refusé : le montant est trop élevé.",
    "54": "Votre paiement a été refusé : la carte est expirée.",
    "63": "Votre paiement a été refusé : les règles de sécurité ne sont pas respectées.",
    "75": "Votre paiement a été refusé : trop de saisies de carte.",
    "90": "Le service de paiement est momentanément indisponible.",
    "97": "Le délai de paiement est dépassé : la transaction est abandonnée.",
    "99": "Le service de paiement a rencontré un problème temporaire.",
}


def data_string(fields: dict[str, str]) -> str:
    return "|".join(f"{key}={value}" for key, value in fields.items())


def parse(data: str) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in data.split("|") if "=" in pair)


def seal(data: str, secret: str) -> str:
    return hmac.new(secret.encode(), data.encode(), hashlib.sha256).hexdigest()


def seal_matches(data: str, received: str, secret: str) -> bool:
    return hmac.compare_digest(seal(data, secret).encode(), received.strip().lower().encode())


# What became of a transaction, as the Office's getTransactionData says it (transactionStatus):
# accepted and waiting for the end-of-day capture; refused by the bank; given up by the buyer
# (cancelled or left idle, told apart by the acquirerResponseCode); still on the paypage.
TO_CAPTURE, REFUSED, ABORTED, PENDING = "TO_CAPTURE", "REFUSED", "ABORTED", "PENDING"


def transaction_status(response_code: str) -> str:
    if not response_code:
        return PENDING
    if response_code == "00":
        return TO_CAPTURE
    if response_code in ("17", "97"):
        return ABORTED
    return REFUSED


def json_seal_matches(message: dict, secret: str) -> bool:
    return hmac.compare_digest(
        json_seal(message, secret).encode(), str(message.get("seal", "")).encode()
    )


def decode(data: str, encode: str) -> str:
    return base64.b64decode(data).decode() if encode == "base64" else data


# The Office's JSON messages: what the seal leaves out (reference/protocols.md §2.4).
NOT_SEALED = frozenset({"keyVersion", "sealAlgorithm", "seal"})


def json_seal_string(value) -> str:
    """The values of a JSON message, fields in the alphabetical order of their names (nested
    objects the same way, lists in their order), concatenated without separator."""
    if isinstance(value, dict):
        return "".join(json_seal_string(value[key]) for key in sorted(value))
    if isinstance(value, list):
        return "".join(json_seal_string(item) for item in value)
    return "" if value is None else str(value)


def json_seal(fields: dict, secret: str) -> str:
    """The HMAC-SHA-256 seal of an Office JSON message, or of its answer."""
    sealed = {key: value for key, value in fields.items() if key not in NOT_SEALED}
    return seal(json_seal_string(sealed), secret)
