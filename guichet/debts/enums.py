from django.db import models


class NoticeDelivery(models.TextChoices):
    MESSAGE = "message", "Dans la messagerie du compte"
    PAPER = "paper", "Par courrier"


class PaymentStatus(models.TextChoices):
    INITIATED = "initiated", "En attente de la réponse du kiosque"
    ACCEPTED = "accepted", "Accepté"
    REFUSED = "refused", "Refusé"
    CANCELLED = "cancelled", "Annulé par l'assuré"
    EXPIRED = "expired", "Abandonné (délai dépassé)"
    ERROR = "error", "En erreur, à vérifier"


class Channel(models.TextChoices):
    AUTOMATIC = "automatic", "Réponse automatique du kiosque"
    MANUAL = "manual", "Retour de l'assuré depuis le kiosque"
    RECONCILIATION = "reconciliation", "Rapprochement avec le kiosque"


# The work-queue kind of payments whose kiosk response does not match (registered in apps.py).
DEBT_PAYMENT_CHECK = "debt_payment_check"
