"""The kiosk sandbox's own settings: a separate Django project, never mixed with Guichet's.

Everything comes from KIOSK_SANDBOX_* variables (docs/environment.md), with defaults that match
Guichet's demo defaults (the public Sips simulation merchant), so that `make run` needs no
configuration.
"""

from pathlib import Path

from sandboxes.common_settings import *  # noqa: F403
from sandboxes.common_settings import env, var_dir, words

PORT = int(env("KIOSK_SANDBOX_PORT", "8002"))
PUBLIC_URL = env("KIOSK_SANDBOX_URL", f"http://127.0.0.1:{PORT}").rstrip("/")
VAR_DIR = var_dir("KIOSK_SANDBOX_VAR_DIR", "kiosk-sandbox")
DATABASE_FILE = Path(env("KIOSK_SANDBOX_DATABASE", str(VAR_DIR / "kiosk.sqlite3")))

# The one merchant it knows: Guichet, with the portal's demo credentials by default.
MERCHANT_ID = env("KIOSK_SANDBOX_MERCHANT_ID", env("SIPS_MERCHANT_ID", "002001000000001"))
MERCHANT_SECRET = env("KIOSK_SANDBOX_SECRET_KEY", env("SIPS_SECRET_KEY", "002001000000001_KEY1"))
KEY_VERSION = env("KIOSK_SANDBOX_KEY_VERSION", env("SIPS_KEY_VERSION", "1"))
MERCHANT_NAME = env("KIOSK_SANDBOX_MERCHANT_NAME", "CPAM de l'Ain (bac à sable)")
# A card page left this long ends the transaction with responseCode 97.
IDLE_SECONDS = float(env("KIOSK_SANDBOX_IDLE_SECONDS", "900"))
RETRY_FIRST_SECONDS = float(env("KIOSK_SANDBOX_RETRY_FIRST_SECONDS", "1"))
RETRY_MAX_SECONDS = float(env("KIOSK_SANDBOX_RETRY_MAX_SECONDS", "300"))
RETRY_GIVE_UP_AFTER = int(env("KIOSK_SANDBOX_RETRY_GIVE_UP_AFTER", "20"))

SECRET_KEY = env("KIOSK_SANDBOX_DJANGO_SECRET_KEY", "bac-a-sable-kiosque-demo-uniquement")
ALLOWED_HOSTS = words("KIOSK_SANDBOX_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = ["django.contrib.staticfiles", "sandboxes.kiosk"]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "sandboxes.kiosk.urls"
WSGI_APPLICATION = "sandboxes.kiosk.wsgi.application"
DATABASES: dict = {}  # its database is a SQLite file of its own (store.py), without the ORM
# Cookies are not separated by port: never share a name with Guichet's on 127.0.0.1.
CSRF_COOKIE_NAME = "kiosque_csrftoken"
CSRF_COOKIE_HTTPONLY = True
