import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

from guichet.core.http import actor_of

LAST_SEEN = "last_seen"
TOUCH_EVERY = 60  # seconds: refresh the stamp at most once a minute, not on every request


class IdleTimeoutMiddleware:
    """Ends a signed-in session after GUICHET_IDLE_TIMEOUT_SECONDS (20 min) without a request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN, now)
            if now - last_seen > settings.GUICHET_IDLE_TIMEOUT_SECONDS:
                from guichet.identity.services import record_logout

                record_logout(account=request.user, actor=actor_of(request), reason="idle")
                logout(request)
                minutes = settings.GUICHET_IDLE_TIMEOUT_SECONDS // 60
                messages.info(
                    request,
                    f"Pour votre sécurité, vous avez été déconnecté(e) après {minutes} minutes sans activité. "
                    "Reconnectez-vous pour continuer.",
                )
            elif now - last_seen >= TOUCH_EVERY or LAST_SEEN not in request.session:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
