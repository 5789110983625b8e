from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

# (label, url name, the URL namespaces or names that make it the current section)
NAVIGATION = [
    ("Accueil", "home:index", {"home:index"}),
    ("Mes paiements", "payments:list", {"payments", "debts"}),
    ("Ma messagerie", "messaging:inbox", {
        "messaging:inbox", "messaging:message", "messaging:delete", "messaging:print",
        "messaging:write", "messaging:sent", "messaging:reply", "messaging:notifications"}),
    ("Mes démarches", "home:procedures", {
        "home:procedures", "documents",
        "upcoming:european_card", "upcoming:change_address", "upcoming:processing_delays"}),
    ("Mon espace prévention", "upcoming:prevention", {"upcoming:prevention"}),
    ("Mes informations", "insured:information", {"insured", "identity:change_code", "identity:change_email",
                                                  "identity:change_email_confirm", "identity:close_account",
                                                  "messaging:payment_information"}),
]  # fmt: skip


def site(request: HttpRequest) -> dict:
    """What every page's layout needs: names, demo mode, and the member's navigation."""
    context = {
        "site_name": settings.GUICHET_SITE_NAME,
        "organisation_name": settings.GUICHET_ORGANISATION_NAME,
        "demo_mode": settings.DEMO,
        "franceconnect_enabled": bool(settings.FC_DISCOVERY_URL),
    }
    user = getattr(request, "user", None)
    # Agents get the back office's menu instead (backoffice.context_processors).
    if user is not None and user.is_authenticated and user.kind == "member":
        match = request.resolver_match
        here = {match.namespace, match.view_name} if match else set()
        context["navigation"] = [
            {"label": label, "name": name, "url": reverse(name), "current": bool(here & sections)}
            for label, name, sections in NAVIGATION
        ]
        context["home_url"] = reverse("home:index")
        context["logout_url"] = reverse("identity:logout")
    return context
