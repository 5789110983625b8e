from django.db import models


class NoticeDelivery(models.TextChoices):
    MESSAGE = "message", "Dans la messagerie du compte"
    PAPER = "paper", "Par courrier"


class NoticeStatus(models.TextChoices):
    ISSUED = "issued", "À payer"
    SETTLED = "settled", "Soldé"
    CANCELLED = "cancelled", "Annulé"


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
# The work-queue kind of money collected twice, to refund (registered in apps.py).
DEBT_OVERPAYMENT = "debt_overpayment"
