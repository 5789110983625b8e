"""What every identity service shares."""

from guichet.identity.models import Account
from guichet.messaging.services import queue_email


class IdentityError(Exception):
    """A rule of the identity domain refused the request; the message is for the person."""


def email_member(account: Account, template: str, **context) -> None:
    """Tell the member by e-mail, at the address of their file, of what happened to their account."""
    person = account.insured_person
    if person is not None and person.email:
        queue_email(
            to=person.email,
            template=template,
            context={"person": person, **context},
            person_id=person.pk,
        )
