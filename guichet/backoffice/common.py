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

# The journal's actions as the superviseur reads them.
ACTION_LABELS = {
    "member_file.viewed": "Consultation d'un dossier",
    "member.searched": "Recherche d'assurés",
    "account.unlocked": "Déblocage d'un compte",
    "account.provisional_code_sent": "Envoi d'un code provisoire",
    "account.closed": "Fermeture d'un compte",
    "account.locked": "Blocage après 5 erreurs",
    "login.succeeded": "Connexion réussie",
    "login.failed": "Échec de connexion d'un assuré",
    "logout": "Déconnexion",
    "agent_login.failed": "Échec de connexion d'un agent",
    "agent_login.recovery_code_used": "Connexion avec un code de secours",
    "agent.created": "Création d'un agent",
    "agent.totp_enrolled": "Activation de la double authentification",
    "agent.totp_reset": "Réinitialisation de la double authentification",
    "unlock_request.received": "Demande de déblocage d'un assuré",
    "work_item.opened": "Nouvel élément dans une file",
    "work_item.assigned": "Attribution d'un élément",
    "work_item.done": "Élément traité",
    "reference.fund.changed": "Modification de la caisse",
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
