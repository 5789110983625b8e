"""The tabs of a member's file in the back office: a registry that later apps add to.

A tab is a slug (its French URL segment), a title, a template to include and a function that
gives the template its data through the owning app's selectors. A tab whose app has not landed
yet shows what it will hold ("upcoming"). To add one, an app calls `register(FileTab(...))` from
its AppConfig.ready(), or replaces an upcoming tab by registering the same slug (ADR 0021).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from guichet.backoffice.perms import Capability


@dataclass(frozen=True)
class FileContext:
    """What a tab may use: the request (its agent), the person shown, and the agent's fund."""

    request: Any
    person: Any
    fund: Any


@dataclass(frozen=True)
class FileTab:
    slug: str
    title: str
    order: int
    template: str = "backoffice/tabs/upcoming.html"
    data: Callable[[FileContext], dict] = field(default=lambda context: {})
    upcoming: str = ""  # set: the tab's app has not landed, this says what it will show
    capability: Capability = Capability.VIEW_MEMBER_FILE


TABS: dict[str, FileTab] = {}


def register(tab: FileTab) -> FileTab:
    TABS[tab.slug] = tab
    return tab


def tabs_for(user) -> list[FileTab]:
    from guichet.backoffice.perms import can

    return sorted((t for t in TABS.values() if can(user, t.capability)), key=lambda t: t.order)


def register_builtin_tabs() -> None:
    from guichet.backoffice import file_data

    for tab in [
        FileTab("identite", "Identité", 10, "backoffice/tabs/identity.html", file_data.identity),
        FileTab("famille", "Famille", 20, "backoffice/tabs/family.html", file_data.family),
        FileTab("droits", "Droits", 30, "backoffice/tabs/rights.html", file_data.rights),
        FileTab("coordonnees", "Coordonnées", 40, "backoffice/tabs/contact.html", file_data.contact),
        FileTab("compte", "Compte en ligne", 50, "backoffice/tabs/account.html", file_data.account),
        FileTab("paiements", "Paiements", 60, "backoffice/tabs/payments.html", file_data.payments),
        FileTab("creances", "Créances", 70,
                upcoming="Les créances de l'assuré et leurs paiements s'afficheront ici."),
        FileTab("demarches", "Démarches", 80,
                upcoming="Les démarches faites par l'assuré et leur suivi s'afficheront ici."),
        FileTab("messages", "Messages", 90,
                upcoming="Les échanges de l'assuré avec la caisse s'afficheront ici."),
        FileTab("rendez-vous", "Rendez-vous", 100,
                upcoming="Les rendez-vous de l'assuré en agence s'afficheront ici."),
    ]:  # fmt: skip
        # An app that landed may have registered its own tab already (apps load in any order).
        if not (tab.upcoming and tab.slug in TABS):
            register(tab)
