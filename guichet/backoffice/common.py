"""What the back office's views share: the agent's fund, pagination, the journal's words."""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

from guichet.identity.enums import AgentRole

PAGE_SIZE = 20

# What a member reads in "Mes informations" about who looked at their file: the fund and the
# service, never the agent's name.
SERVICE_OF_ROLE = {
    AgentRole.ADVISER: "Service relation assurés",
    AgentRole.CASE_WORKER: "Service des prestations",
    AgentRole.ACCOUNTANT: "Service comptable",
    AgentRole.SUPERVISOR: "Encadrement",
}

# The journal's actions as the superviseur reads them (an action missing here shows its code).
ACTION_LABELS = {
    # the back office
    "member_file.viewed": "Consultation d'un dossier",
    "member.searched": "Recherche d'assurés",
    "account.unlocked": "Déblocage d'un compte",
    "account.provisional_code_sent": "Envoi d'un code provisoire",
    "account.closed": "Fermeture d'un compte",
    "reference.fund.changed": "Modification de la caisse",
    "reference.agency.added": "Ajout d'une agence",
    "reference.agency.changed": "Modification d'une agence",
    "reference.parameter.added": "Nouvelle valeur d'un paramètre des remboursements",
    "reference.parameter.changed": "Modification d'un paramètre des remboursements",
    "work_item.opened": "Nouvel élément dans une file",
    "work_item.assigned": "Attribution d'un élément",
    "work_item.open": "Élément remis dans la file",
    "work_item.done": "Élément traité",
    # the agents
    "agent.created": "Création d'un agent",
    "agent.password_chosen": "Mot de passe choisi par un agent",
    "agent.password_changed": "Mot de passe changé par un agent",
    "agent.recovery_codes_regenerated": "Nouveaux codes de secours d'un agent",
    "agent.password_reissued": "Mot de passe provisoire envoyé à un agent",
    "agent.totp_enrolment_started": "Début d'activation de la double authentification",
    "agent.totp_enrolled": "Activation de la double authentification",
    "agent.totp_reset": "Réinitialisation de la double authentification",
    "agent_login.password_checked": "Mot de passe d'un agent vérifié",
    "agent_login.totp_verified": "Code de l'application vérifié",
    "agent_login.recovery_code_used": "Connexion avec un code de secours",
    "agent_login.provisional_password_used": "Mot de passe provisoire utilisé",
    "agent_login.failed": "Échec de connexion d'un agent",
    "agent_login.refused_locked": "Connexion d'un agent refusée (bloqué)",
    # the documents
    "document.issued": "Document délivré (attestation, relevé fiscal)",
    # the members' accounts
    "login.succeeded": "Connexion réussie",
    "login.failed": "Échec de connexion d'un assuré",
    "login.refused_locked": "Connexion refusée (compte bloqué)",
    "login.provisional_code_used": "Code provisoire utilisé",
    "logout": "Déconnexion",
    "account.locked": "Blocage après 5 erreurs",
    "account.created": "Création d'un compte",
    "account.created_again": "Nouvelle création d'un compte",
    "account.active": "Compte activé",
    "account.provisional": "Compte à recréer",
    "account.code_chosen": "Code personnel choisi",
    "account.code_changed": "Code personnel modifié",
    "account.code_change_refused": "Changement de code refusé",
    "code_reset.sent": "Code oublié : code provisoire envoyé",
    "code_reset.no_match": "Code oublié : aucune correspondance",
    "code_reset.too_many": "Code oublié : trop de demandes",
    "unlock_request.received": "Demande de déblocage d'un assuré",
    "unlock_request.no_match": "Demande de déblocage sans correspondance",
    "device.trusted": "Nouvel appareil de confiance",
    "email_code.sent.login": "Code de sécurité envoyé",
    "email_code.verified.login": "Code de sécurité vérifié",
    "email_code.failed.login": "Code de sécurité erroné",
    "email_code.sent.email_change": "Code de changement d'e-mail envoyé",
    "email_code.verified.email_change": "Code de changement d'e-mail vérifié",
    "email_code.failed.email_change": "Code de changement d'e-mail erroné",
    # the registry
    "insured.registered": "Inscription au registre",
    "insured.dependent_attached": "Rattachement d'un ayant droit",
    "insured.email_changed": "Adresse e-mail modifiée",
    "insured.email_verified": "Adresse e-mail vérifiée",
    "insured.phones_changed": "Téléphones modifiés",
    "insured.contact_permissions_changed": "Autorisations de contact modifiées",
    "insured.patient_share_exemption_recorded": "Exonération du ticket modérateur enregistrée",
    "insured.patient_share_exemption_ended": "Fin d'une exonération du ticket modérateur",
}


def fund_of(request: HttpRequest):
    """The signed-in agent's fund: the scope of everything they see."""
    return request.user.agent_profile.fund


def paginate(request: HttpRequest, items, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current filters, to carry into the pagination links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
