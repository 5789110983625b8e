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
