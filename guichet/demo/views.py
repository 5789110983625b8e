from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from guichet.messaging.selectors import latest_emails


@login_not_required
@never_cache
def mailbox_view(request: HttpRequest) -> HttpResponse:
    """Every e-mail Guichet sent, newest first — only in demo mode (GUICHET_DEMO=1)."""
    if not settings.DEMO:
        raise Http404
    return render(request, "demo/mailbox.html", {"emails": latest_emails(limit=50)})
