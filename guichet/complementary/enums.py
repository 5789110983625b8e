from django.db import models

# Work-item kinds of the back office's queues (ADR 0022), registered by apps.py.
CHOICE_TO_PROCESS = "complementary_choice"
OVERLAP_FOR_FUND = "complementary_overlap"


class ContractKind(models.TextChoices):
    ORDINARY = "ordinary", "Complémentaire santé"
    CSS = "css", "Complémentaire santé solidaire"
    CMU_C = "cmu_c", "CMU-C"
    ACS = "acs", "ACS"


# A contract of the solidarity schemes: an overlap involving one is handled by the fund.
SOLIDARITY_KINDS = frozenset({ContractKind.CSS, ContractKind.CMU_C, ContractKind.ACS})


class RequestStatus(models.TextChoices):
    PENDING = "pending", "Demande en cours"
    PROCESSED = "processed", "Traitée"
    CANCELLED = "cancelled", "Annulée"


class Exclusion(models.TextChoices):
    """Why the member cannot choose online (seed 003, "Cas d'exclusion du téléservice")."""

    SOLIDARITY = (
        "solidarity",
        "Un contrat de Complémentaire santé solidaire (CMU-C, ACS) est concerné",
    )
    TOO_MANY = "too_many", "5 bénéficiaires ou plus sont concernés"
    PARTNER = "partner", "L'assuré relève d'un régime partenaire"
