"""Request helpers shared by every app."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from guichet.core.actors import Actor, ActorKind


def client_ip(request: HttpRequest) -> str:
    """The client's address, for rate limits and the audit journal.

    Behind N trusted proxies (GUICHET_TRUSTED_PROXIES=N), X-Forwarded-For reads
    "what-the-client-claims, …, client, proxy1, …": each proxy appends the address it received
    the request from, so only the N-th address from the right can be trusted; anything to its
    left could have been written by the client itself.
    """
    proxies = settings.GUICHET_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
        if len(addresses) >= proxies:  # fewer: the request did not come through all our proxies
            return addresses[-proxies][:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


def actor_of(request: HttpRequest) -> Actor:
    """The actor behind a request, for the audit journal."""
    user = getattr(request, "user", None)
    ip = client_ip(request)
    if user is not None and user.is_authenticated:
        return Actor(ActorKind(user.kind), str(user.pk), ip)
    return Actor.anonymous(ip)


def login_rate_limited(request: HttpRequest, group: str) -> bool:
    """Count this POST against the client address's limit on a login-like form (one `group` per
    form); True once GUICHET_LOGIN_RATE_PER_IP is exceeded."""
    from django_ratelimit.core import is_ratelimited

    return is_ratelimited(
        request,
        group=group,
        key=lambda _group, req: client_ip(req),
        rate=settings.GUICHET_LOGIN_RATE_PER_IP,
        method="POST",
        increment=True,
    )


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """A PDF to download, never kept by a shared cache."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
