"""Request helpers shared by every app."""

from django.conf import settings
from django.http import HttpRequest

from guichet.core.actors import Actor, ActorKind


def client_ip(request: HttpRequest) -> str:
    """The client's address, from the header the operator trusts (GUICHET_CLIENT_IP_HEADER)."""
    raw = request.META.get(settings.GUICHET_CLIENT_IP_HEADER) or request.META.get("REMOTE_ADDR", "")
    # X-Forwarded-For holds "client, proxy1, proxy2": the first one is the client.
    return raw.split(",")[0].strip()[:45]


def actor_of(request: HttpRequest) -> Actor:
    """The actor behind a request, for the audit journal."""
    user = getattr(request, "user", None)
    ip = client_ip(request)
    if user is not None and user.is_authenticated:
        return Actor(ActorKind(user.kind), str(user.pk), ip)
    return Actor.anonymous(ip)
