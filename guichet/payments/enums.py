from django.db import models


class PaymentKind(models.TextChoices):
    CARE = "care", "Remboursement de soins"
    THIRD_PARTY = "third_party", "Paiement à un tiers"
    DAILY_ALLOWANCE = "daily_allowance", "Indemnités journalières"


class Payee(models.TextChoices):
    MEMBER = "member", "Vous"
    PROFESSIONAL = "professional", "Le professionnel de santé"


class Transmission(models.TextChoices):
    """Whether the complementary insurer got the payment (NOEMIE), or the member must send it."""

    NONE = "none", "Pas de complémentaire santé enregistrée"
    SENT = "sent", "Transmis automatiquement à votre complémentaire"
    TO_FORWARD = "to_forward", "À transmettre par vous à votre complémentaire"
    DOWNLOADED = "downloaded", "Décompte téléchargé pour votre complémentaire"
    NOT_COVERED = "not_covered", "Non concerné (pas de part complémentaire)"


class CareCategory(models.TextChoices):
    GP = "gp", "Consultation de médecin généraliste"
    SPECIALIST = "specialist", "Consultation de médecin spécialiste"
    PHARMACY = "pharmacy", "Médicaments"
    PARAMEDICAL = "paramedical", "Acte paramédical"
    TRANSPORT = "transport", "Transport sanitaire"
    LABORATORY = "laboratory", "Analyses de biologie"
    RADIOLOGY = "radiology", "Radiologie"
    HOSPITAL = "hospital", "Hospitalisation"
    DENTAL = "dental", "Soins dentaires"
    DAILY_ALLOWANCE = "daily_allowance", "Indemnités journalières"


class CopaymentKind(models.TextChoices):
    """A participation forfaitaire (PF, on a doctor's act, a lab test, an X-ray) or a franchise."""

    FLAT_FEE = "flat_fee", "Participation forfaitaire"
    DEDUCTIBLE_MEDICINE = "deductible_medicine", "Franchise sur les médicaments"
    DEDUCTIBLE_PARAMEDICAL = "deductible_paramedical", "Franchise sur les actes paramédicaux"
    DEDUCTIBLE_TRANSPORT = "deductible_transport", "Franchise sur les transports sanitaires"

    @property
    def is_flat_fee(self) -> bool:
        return self == CopaymentKind.FLAT_FEE


class CopaymentStatus(models.TextChoices):
    """How a PF or franchise was or will be collected; a deferred one is either recovered from a
    later payment or claimed by a payment notice, never both (ADR 0073)."""

    DEDUCTED = "deducted", "Déduite du remboursement"
    DEFERRED = "deferred", "À récupérer sur un prochain paiement"
    CLAIMED = "claimed", "Réclamée par un avis de sommes à payer"
    PAID_BY_NOTICE = "paid_by_notice", "Réglée par un avis de sommes à payer"
    RECOVERED = "recovered", "Récupérée sur un paiement ultérieur"
    CAPPED = "capped", "Non due : plafond atteint"


# The deferred-debit ledger's lifecycle: who may move a copayment, and where.
COPAYMENT_TRANSITIONS: dict[str, set[str]] = {
    CopaymentStatus.DEFERRED: {CopaymentStatus.CLAIMED, CopaymentStatus.RECOVERED},
    CopaymentStatus.CLAIMED: {
        CopaymentStatus.DEFERRED,  # the notice is cancelled
        CopaymentStatus.PAID_BY_NOTICE,  # the member paid the notice (the accounting run)
        CopaymentStatus.RECOVERED,  # the fund's own system deducted it all the same
    },
}


class ExemptionReason(models.TextChoices):
    PREGNANCY = "pregnancy", "Grossesse (à partir du 6e mois) et 12 jours après l'accouchement"
    TERRORISM_VICTIM = "terrorism_victim", "Victime d'acte de terrorisme (franchises)"


class SickLeaveKind(models.TextChoices):
    ILLNESS = "illness", "Maladie"
    WORK_ACCIDENT = "work_accident", "Accident du travail"
    OCCUPATIONAL_DISEASE = "occupational_disease", "Maladie professionnelle"
    MATERNITY = "maternity", "Maternité"


class SickLeaveStatus(models.TextChoices):
    RECEIVED = "received", "Arrêt reçu"
    PAYING = "paying", "Indemnisation en cours"
    CLOSED = "closed", "Arrêt terminé, indemnisation soldée"
    REFUSED = "refused", "Non indemnisé"


class WorkAccidentStatus(models.TextChoices):
    DECLARED = "declared", "Déclaration reçue"
    INVESTIGATING = "investigating", "Dossier en cours d'instruction"
    RECOGNISED = "recognised", "Caractère professionnel reconnu"
    REFUSED = "refused", "Caractère professionnel non reconnu"
    CLOSED = "closed", "Dossier clos (guérison ou consolidation)"


class FeedName(models.TextChoices):
    PAYMENTS = "payments", "Paiements et décomptes"
    SICK_LEAVES = "sick_leaves", "Arrêts de travail"
    WORK_ACCIDENTS = "work_accidents", "Accidents du travail"
    CONTRACTS = "contracts", "Contrats de complémentaire santé"  # guichet.complementary


class ImportStatus(models.TextChoices):
    APPLIED = "applied", "Appliqué"
    REJECTED = "rejected", "Refusé"
