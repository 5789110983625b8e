"""WSGI entry of the kiosk sandbox: `gunicorn sandboxes.kiosk.wsgi` (one worker: its thread
delivers the automatic responses and ends idle transactions)."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "sandboxes.kiosk.settings"

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from sandboxes.kiosk import engine  # noqa: E402  (needs the settings loaded above)

engine.deliverer().start(tick=engine.expire_idle)
