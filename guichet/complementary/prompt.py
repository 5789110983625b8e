"""Whether the overlap dialog shows at login (seed 003, step 1); used by the home page."""

from django.http import HttpRequest

from guichet.complementary import selectors

LATER = "complementary_later"  # "Plus tard": not again in this session, again at the next login


def dialog_due(request: HttpRequest) -> selectors.Situation | None:
    """The family's situation when the dialog must show, else None (1 query when there is none)."""
    holder = request.user.insured_person
    if request.session.get(LATER) or not selectors.has_open_overlap(holder=holder):
        return None
    situation = selectors.situation_of(holder=holder)
    return situation if situation.pending is None else None
