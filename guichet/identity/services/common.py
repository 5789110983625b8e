"""What every identity service shares."""


class IdentityError(Exception):
    """A rule of the identity domain refused the request; the message is for the person."""
