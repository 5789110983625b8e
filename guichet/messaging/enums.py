from django.db import models


class EmailStatus(models.TextChoices):
    PENDING = "pending", "En attente d'envoi"
    SENT = "sent", "Envoyé"
    FAILED = "failed", "Abandonné après plusieurs essais"


class Sender(models.TextChoices):
    FUND = "fund", "Assurance Maladie"
    MEMBER = "member", "Vous"


class MessageKind(models.TextChoices):
    """Known kinds of message; other apps may use others, shown as "Information"."""

    INFO = "info", "Information"
    ACKNOWLEDGMENT = "acknowledgment", "Accusé de réception"
    PAYMENT_NOTICE = "payment_notice", "Avis de paiement"
    QUESTION = "question", "Question"
    ANSWER = "answer", "Réponse"


class NotificationKind(models.TextChoices):
    """The section a notification is about, shown as its title (seeds 003, 004)."""

    INFO = "info", "Information"
    PAYMENTS = "payments", "Mes paiements"
    COMPLEMENTARY = "complementary", "Ma mutuelle"
    MESSAGING = "messaging", "Ma messagerie"
    PROCEDURES = "procedures", "Mes démarches"
    DEBTS = "debts", "Mes créances"


class ThreadStatus(models.TextChoices):
    WAITING = "waiting", "En attente de réponse"
    ANSWERED = "answered", "Répondu"
