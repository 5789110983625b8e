"""What every sandbox's Django settings share: French locale, static files, safe headers, logs.

Each sandbox's settings.py does `from sandboxes.common_settings import *` and adds its own.
"""

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def words(name: str, default: str) -> list[str]:
    return [word.strip() for word in env(name, default).split(",") if word.strip()]


def var_dir(variable: str, folder: str) -> Path:
    """The sandbox's own folder under Guichet's var/ (or where `variable` says), created."""
    default = Path(env("GUICHET_VAR_DIR", str(PROJECT_DIR / "var"))) / folder
    path = Path(env(variable, str(default)))
    path.mkdir(parents=True, exist_ok=True)
    return path


DEBUG = False
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}
