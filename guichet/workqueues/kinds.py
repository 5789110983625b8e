"""The kinds of work items: each app registers its own, with its SLA and who may work it.

A queue is the open items of one kind for one fund, oldest first. Today: locked accounts whose
member asks to be unlocked. Requests (démarches), messages, overlap choices and debts register
their kinds when their issues land (ADR 0022).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass(frozen=True)
class ItemKind:
    slug: str  # stored in WorkItem.kind; never renamed
    title: str  # "Déblocages de compte"
    sla: dt.timedelta  # an item older than this is late
    roles: frozenset[str]  # the agent roles that work this queue (identity.enums.AgentRole)
    description: str = ""
    # Where an agent handles an item: by default the member's file.
    item_url: Callable = field(
        default=lambda item: reverse("backoffice:member_file", args=[item.person_id])
    )


KINDS: dict[str, ItemKind] = {}


def register(kind: ItemKind) -> ItemKind:
    """Called from an app's AppConfig.ready()."""
    KINDS[kind.slug] = kind
    return kind


def get(slug: str) -> ItemKind | None:
    return KINDS.get(slug)


ACCOUNT_UNLOCK = "account_unlock"


def register_builtin_kinds() -> None:
    register(
        ItemKind(
            slug=ACCOUNT_UNLOCK,
            title="Demandes de déblocage de compte",
            sla=dt.timedelta(hours=24),
            roles=frozenset({"adviser", "case_worker", "supervisor"}),
            description="Des assurés dont l'accès est bloqué après 5 codes erronés demandent à être débloqués.",
            item_url=lambda item: reverse(
                "backoffice:member_file_tab", args=[item.person_id, "compte"]
            ),
        )
    )
