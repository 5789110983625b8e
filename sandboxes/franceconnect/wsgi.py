"""WSGI entry of the FranceConnect sandbox: `gunicorn sandboxes.franceconnect.wsgi`."""

import os

os.environ["DJANGO_SETTINGS_MODULE"] = "sandboxes.franceconnect.settings"

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
