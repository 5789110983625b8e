from django.http import HttpRequest
from django.urls import reverse

from guichet.backoffice.perms import Capability, can

# (label, url name, capability, the URL names that mark it as the current section)
NAVIGATION = [
    ("Accueil", "backoffice:home", Capability.HOME, {"backoffice:home"}),
    ("Rechercher un assuré", "backoffice:search", Capability.SEARCH_MEMBERS,
     {"backoffice:search", "backoffice:member_file", "backoffice:member_file_tab", "backoffice:unlock",
      "backoffice:provisional_code", "backoffice:close_account", "backoffice:member_payment"}),
    ("Files de travail", "backoffice:queues", Capability.WORK_QUEUES, {"backoffice:queues", "backoffice:queue"}),
    ("Tableau de bord", "backoffice:dashboard", Capability.ASSIGN_WORK, {"backoffice:dashboard"}),
    ("Journal", "backoffice:journal", Capability.READ_JOURNAL, {"backoffice:journal"}),
    ("Agents", "backoffice:agents", Capability.MANAGE_AGENTS,
     {"backoffice:agents", "backoffice:agent_create", "backoffice:agent", "backoffice:agent_unlock",
      "backoffice:agent_reset_totp", "backoffice:agent_close", "backoffice:agent_new_password"}),
    ("Référentiels", "backoffice:referentials", Capability.EDIT_REFERENCE_DATA,
     {"backoffice:referentials", "backoffice:referential", "backoffice:referential_edit",
      "backoffice:referential_history", "backoffice:referential_add"}),
    ("Mon compte", "backoffice:my_account", Capability.HOME,
     {"backoffice:my_account", "backoffice:my_password", "backoffice:my_recovery_codes"}),
]  # fmt: skip


def agent_navigation(request: HttpRequest) -> dict:
    """The agents' menu, for a signed-in agent (members get theirs from core)."""
    user = getattr(request, "user", None)
    if user is None or not can(user, Capability.HOME):
        return {}
    match = request.resolver_match
    here = match.view_name if match else ""
    return {
        "navigation": [
            {"label": label, "url": reverse(name), "current": here in sections}
            for label, name, capability, sections in NAVIGATION
            if can(user, capability)
        ],
        "home_url": reverse("backoffice:home"),
        "logout_url": reverse("backoffice:logout"),
        "agent": user.agent_profile,
        "space_name": "Espace agents",
    }
