from django.db import models


class DocumentKind(models.TextChoices):
    """Each kind of signed document; the value is the 2D code's document type (ADR 0060)."""

    ENTITLEMENT = "G1", "Attestation de droits"
    ALLOWANCE = "G2", "Attestation de paiement d'indemnités journalières"
    TAX = "G3", "Relevé fiscal"
