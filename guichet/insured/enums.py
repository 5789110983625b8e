from django.db import models


class Sex(models.TextChoices):
    MALE = "M", "Homme"
    FEMALE = "F", "Femme"


class Regime(models.TextChoices):
    GENERAL = "general", "Régime général"
    PARTNER = "partner", "Régime partenaire"
    AME = "ame", "Aide médicale de l'État (AME)"


class CssKind(models.TextChoices):
    NONE = "none", "Aucune"
    FREE = "free", "Complémentaire santé solidaire sans participation"
    WITH_CONTRIBUTION = "contribution", "Complémentaire santé solidaire avec participation"


class Relationship(models.TextChoices):
    CHILD = "child", "Enfant"
    SPOUSE = "spouse", "Conjoint(e)"
    OTHER = "other", "Autre"


class VitaleStatus(models.TextChoices):
    ACTIVE = "active", "Carte en service"
    IN_PRODUCTION = "in_production", "Carte en cours de fabrication"
    LOST = "lost", "Carte déclarée perdue"
    STOLEN = "stolen", "Carte déclarée volée"
    DEFECTIVE = "defective", "Carte déclarée défectueuse"
    REPLACED = "replaced", "Carte remplacée"


class PatientShareExemptionKind(models.TextChoices):
    """Why a person pays no ticket modérateur (the patient's share of the tariff). The label is
    what a member and a professional read: never the disease behind an ALD (health data)."""

    LONG_TERM_ILLNESS = "ald", "affection de longue durée (ALD)"
    INVALIDITY = "invalidity", "pension d'invalidité"
    OLD_AGE_AFTER_INVALIDITY = (
        "old_age_after_invalidity",
        "pension de vieillesse substituée à une pension d'invalidité",
    )
    WORK_INJURY_PENSION = (
        "work_injury_pension",
        "rente d'accident du travail ou de maladie professionnelle (incapacité d'au moins 66,66 %)",
    )
    MATERNITY = "maternity", "maternité"
    MILITARY_PENSION = "military_pension", "pension militaire d'invalidité"
