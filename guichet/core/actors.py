"""Who acts: a member, an agent, the system or an anonymous visitor — as the audit journal names them."""

from dataclasses import dataclass

from django.db import models


class ActorKind(models.TextChoices):
    MEMBER = "member", "Assuré(e)"
    AGENT = "agent", "Agent"
    SYSTEM = "system", "Système"
    ANONYMOUS = "anonymous", "Visiteur"


@dataclass(frozen=True)
class Actor:
    kind: ActorKind
    id: str = ""
    ip: str = ""

    @classmethod
    def member(cls, account_id: int, ip: str = "") -> "Actor":
        return cls(ActorKind.MEMBER, str(account_id), ip)

    @classmethod
    def anonymous(cls, ip: str = "") -> "Actor":
        return cls(ActorKind.ANONYMOUS, "", ip)


SYSTEM = Actor(ActorKind.SYSTEM, "system")
