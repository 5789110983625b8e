"""Every way a FranceConnect round trip can fail, each with the French words a member reads."""

from enum import StrEnum


class Failure(StrEnum):
    DENIED = "denied"  # the member cancelled at FranceConnect (access_denied)
    PROVIDER_ERROR = "provider_error"  # FranceConnect answered the callback with another error
    STATE = "state"  # unknown, expired, replayed or foreign state
    UNAVAILABLE = "unavailable"  # FranceConnect down, slow or answering garbage
    INVALID_TOKEN = "invalid_token"  # bad signature, issuer, audience, nonce, acr, dates...
    INVALID_IDENTITY = "invalid_identity"  # the identité pivot is missing or malformed
    DISABLED = "disabled"  # FranceConnect is not configured on this Guichet
    TOO_MANY = "too_many"  # too many round trips started from one address


MESSAGES = {
    Failure.DENIED: (
        "Vous avez annulé la connexion avec FranceConnect.",
        "Aucune information n'a été transmise. Vous pouvez réessayer, ou vous connecter avec votre "
        "numéro de sécurité sociale et votre code personnel.",
    ),
    Failure.PROVIDER_ERROR: (
        "FranceConnect n'a pas pu vous identifier.",
        "FranceConnect a interrompu la connexion. Réessayez dans quelques instants, ou connectez-vous "
        "avec votre numéro de sécurité sociale et votre code personnel.",
    ),
    Failure.STATE: (
        "Cette connexion avec FranceConnect a expiré.",
        "La demande de connexion est trop ancienne, a déjà servi, ou a été commencée dans un autre "
        "navigateur. Recommencez depuis le bouton « S'identifier avec FranceConnect ».",
    ),
    Failure.UNAVAILABLE: (
        "FranceConnect ne répond pas pour le moment.",
        "Le service FranceConnect est momentanément indisponible. Réessayez dans quelques minutes, ou "
        "connectez-vous avec votre numéro de sécurité sociale et votre code personnel.",
    ),
    Failure.INVALID_TOKEN: (
        "La réponse de FranceConnect n'a pas pu être vérifiée.",
        "Par sécurité, nous n'avons pas utilisé cette réponse : aucune connexion n'a été ouverte. "
        "Recommencez depuis le bouton « S'identifier avec FranceConnect ».",
    ),
    Failure.INVALID_IDENTITY: (
        "FranceConnect ne nous a pas transmis votre identité complète.",
        "Pour vous retrouver parmi les assurés, nous avons besoin de vos nom, prénoms, sexe, date et "
        "lieu de naissance. Réessayez, ou connectez-vous avec votre numéro de sécurité sociale.",
    ),
    Failure.TOO_MANY: (
        "Trop de tentatives de connexion.",
        "Trop de tentatives ont été faites depuis votre connexion internet. Patientez quelques "
        "minutes avant de réessayer.",
    ),
    Failure.DISABLED: (
        "La connexion avec FranceConnect n'est pas disponible.",
        "Connectez-vous avec votre numéro de sécurité sociale et votre code personnel.",
    ),
}


class FranceConnectError(Exception):
    """A round trip that must stop; `failure` says which page to show, `detail` is for the journal."""

    def __init__(self, failure: Failure, detail: str = ""):
        super().__init__(f"{failure}: {detail}" if detail else str(failure))
        self.failure = failure
        self.detail = detail[:200]
