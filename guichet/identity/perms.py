"""Who may do what in the identity screens."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from guichet.identity.enums import AccountKind


def is_member(user) -> bool:
    return bool(
        user.is_authenticated and user.kind == AccountKind.MEMBER and user.insured_person_id
    )


def member_required(view):
    """The view is for a signed-in member (login is already required everywhere by default)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not is_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def is_agent(user) -> bool:
    """A signed-in agent of a fund (their profile is loaded with the account, see backends)."""
    return bool(
        user.is_authenticated
        and user.kind == AccountKind.AGENT
        and getattr(user, "agent_profile", None) is not None
    )
