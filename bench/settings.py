"""Settings of the server that `python -m bench.scale` runs: Guichet's, plus a bare view."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
# Nothing is collected for a bench run: plain static storage, as in bench/database.py.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
