"""Who may do what in the back office: one function per capability, one table of roles.

Every back-office view names its capability with `agent_required(...)`. An anonymous visitor is
sent to the agents' login page; a member, or an agent whose role lacks the capability, gets a
403. tests/test_permissions.py runs the whole matrix (ADR 0021).
"""

from collections.abc import Callable
from enum import StrEnum
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from guichet.identity.enums import AgentRole
from guichet.identity.perms import is_agent

LOGIN_URL = "backoffice:login"


class Capability(StrEnum):
    HOME = "home"  # the agents' home page and their own settings
    SEARCH_MEMBERS = "search_members"
    VIEW_MEMBER_FILE = "view_member_file"
    UNLOCK_ACCOUNT = "unlock_account"
    SEND_PROVISIONAL_CODE = "send_provisional_code"
    CLOSE_ACCOUNT = "close_account"
    WORK_QUEUES = "work_queues"  # see and take the items of the queues of one's role
    ASSIGN_WORK = "assign_work"  # give an item to another agent; the dashboard
    READ_JOURNAL = "read_journal"
    MANAGE_AGENTS = "manage_agents"
    EDIT_REFERENCE_DATA = "edit_reference_data"
    ISSUE_NOTICES = "issue_notices"  # issue a payment notice (avis de sommes à payer)


_EVERY_AGENT = {Capability.HOME, Capability.SEARCH_MEMBERS, Capability.VIEW_MEMBER_FILE}

ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    # answers members at the counter, on the phone and by message
    AgentRole.ADVISER: frozenset(
        _EVERY_AGENT
        | {Capability.UNLOCK_ACCOUNT, Capability.SEND_PROVISIONAL_CODE, Capability.WORK_QUEUES}
    ),
    # processes requests; may also close an account
    AgentRole.CASE_WORKER: frozenset(
        _EVERY_AGENT
        | {
            Capability.UNLOCK_ACCOUNT,
            Capability.SEND_PROVISIONAL_CODE,
            Capability.CLOSE_ACCOUNT,
            Capability.WORK_QUEUES,
        }
    ),
    # debts and payments: reads the file, works the queues of money, issues payment notices
    AgentRole.ACCOUNTANT: frozenset(
        _EVERY_AGENT | {Capability.WORK_QUEUES, Capability.ISSUE_NOTICES}
    ),
    # all of that, plus the journal, the agents, the reference data and the dashboard
    AgentRole.SUPERVISOR: frozenset(Capability),
}


def agent_role(user) -> str | None:
    return user.agent_profile.role if is_agent(user) else None


def can(user, capability: Capability) -> bool:
    role = agent_role(user)
    return role is not None and capability in ROLE_CAPABILITIES.get(role, frozenset())


def capabilities_of(user) -> frozenset[Capability]:
    role = agent_role(user)
    return ROLE_CAPABILITIES.get(role, frozenset()) if role else frozenset()


def agent_required(capability: Capability) -> Callable:
    """The view is for a signed-in agent whose role has `capability`."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs):
            if not can(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        # LoginRequiredMiddleware sends an anonymous visitor here rather than to the members' page
        wrapper.login_url = LOGIN_URL  # type: ignore[attr-defined]
        wrapper.capability = capability  # type: ignore[attr-defined]  # for the permission matrix
        return wrapper

    return decorator
