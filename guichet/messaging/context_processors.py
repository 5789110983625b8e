from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from guichet.messaging import selectors


def unread_of_request(request: HttpRequest) -> selectors.Unread:
    """The member's unread counts, read once per request whoever asks first."""
    if not hasattr(request, "_guichet_unread"):
        request._guichet_unread = selectors.unread_counts(  # type: ignore[attr-defined]
            person_id=request.user.insured_person_id
        )
    return request._guichet_unread  # type: ignore[attr-defined]


def unread(request: HttpRequest) -> dict:
    """The unread counters of the header, for a signed-in member (one query, only if shown)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not getattr(user, "insured_person_id", None):
        return {}
    return {"unread": SimpleLazyObject(lambda: unread_of_request(request))}
