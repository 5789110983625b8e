from django.contrib.auth.backends import BaseBackend

from guichet.identity.enums import AccountStatus
from guichet.identity.models import Account


class AccountBackend(BaseBackend):
    """Loads the signed-in account with its person and fund (or, for an agent, their profile and
    fund) in one query.

    Credentials are checked by identity.services (NIR + code, lockout, e-mail code), never here.
    """

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        return (
            Account.objects.select_related("insured_person__fund", "agent_profile__fund")
            .exclude(status=AccountStatus.CLOSED)
            .filter(pk=user_id)
            .first()
        )
