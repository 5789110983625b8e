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


def decode(data: str, encode: str) -> str:
    return base64.b64decode(data).decode() if encode == "base64" else data


def json_seal(fields: dict, secret: str) -> str:
    """Values of every field but seal and keyVersion, by alphabetical order of their names."""
    text = "".join(str(fields[key]) for key in sorted(fields) if key not in ("seal", "keyVersion"))
    return seal(text, secret)
