"""The sandbox's own settings: a separate Django project, never mixed with Guichet's.

Everything comes from FC_SANDBOX_* variables (docs/environment.md), with defaults that match
Guichet's demo defaults, so that `make run` needs no configuration.
"""

from pathlib import Path

from sandboxes.common_settings import *  # noqa: F403
from sandboxes.common_settings import env as _env
from sandboxes.common_settings import var_dir
from sandboxes.common_settings import words as _words

PORT = int(_env("FC_SANDBOX_PORT", "8001"))
PUBLIC_URL = _env("FC_SANDBOX_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
ISSUER = f"{PUBLIC_URL}/api/v2"
VAR_DIR = var_dir("FC_SANDBOX_VAR_DIR", "franceconnect-sandbox")

# The one service provider it knows: Guichet, as configured by default in its demo.
_guichet = _env(
    "GUICHET_BASE_URL",
    f"http://{_env('GUICHET_HOST', '127.0.0.1')}:{_env('GUICHET_PORT', '8000')}",
).rstrip("/")
CLIENT_ID = _env("FC_SANDBOX_CLIENT_ID", _env("FC_CLIENT_ID", "guichet-bac-a-sable"))
CLIENT_SECRET = _env(
    "FC_SANDBOX_CLIENT_SECRET",
    _env("FC_CLIENT_SECRET", "secret-du-bac-a-sable-jamais-en-production"),
)
CLIENT_NAME = _env("FC_SANDBOX_CLIENT_NAME", _env("GUICHET_SITE_NAME", "Guichet"))
REDIRECT_URIS = _words("FC_SANDBOX_REDIRECT_URIS", f"{_guichet}/franceconnect/retour/")
POST_LOGOUT_REDIRECT_URIS = _words(
    "FC_SANDBOX_POST_LOGOUT_REDIRECT_URIS", f"{_guichet}/franceconnect/deconnexion/"
)
SIGNING_ALG = _env("FC_SANDBOX_SIGNING_ALG", "ES256")
if SIGNING_ALG not in ("ES256", "RS256"):
    raise RuntimeError(f"FC_SANDBOX_SIGNING_ALG={SIGNING_ALG!r}: expected ES256 or RS256.")
KEYS_FILE = Path(_env("FC_SANDBOX_KEYS_FILE", str(VAR_DIR / "signing-keys.json")))

SECRET_KEY = _env("FC_SANDBOX_SECRET_KEY", "bac-a-sable-franceconnect-demo-uniquement")
ALLOWED_HOSTS = _words("FC_SANDBOX_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = ["django.contrib.staticfiles", "sandboxes.franceconnect"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "sandboxes.franceconnect.urls"
WSGI_APPLICATION = "sandboxes.franceconnect.wsgi.application"
DATABASES: dict = {}
# No database: the sandbox's session (the identity chosen, its SSO) lives in a signed cookie,
# codes and access tokens in a file cache that every worker process shares.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
# Cookies are not separated by port: never share a name with Guichet's on 127.0.0.1.
SESSION_COOKIE_NAME = "fcbac_session"
CSRF_COOKIE_NAME = "fcbac_csrftoken"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(VAR_DIR / "cache"),
    }
}
