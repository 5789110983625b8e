"""A step that waits in the member's session for the code e-mailed to an address."""

import time

from django.http import HttpRequest

SESSION_EMAIL_CHANGE = "email_change"


def await_email_code(request: HttpRequest, *, challenge_id: int, email: str) -> None:
    """The next page (`identity:change_email_confirm`) asks the code sent to `email`."""
    request.session[SESSION_EMAIL_CHANGE] = {
        "challenge": challenge_id,
        "email": email,
        "at": time.time(),
    }
