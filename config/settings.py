"""Guichet's settings: every value comes from the environment (docs/environment.md).

Defaults are safe for the demo; a production deployment that forgets a secret fails at start-up.
"""

import json
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from config import env

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.text("GUICHET_VAR_DIR", str(BASE_DIR / "var")))

# --- Modes ---------------------------------------------------------------------------------------
DEMO = env.flag("GUICHET_DEMO")
DEBUG = env.flag("DEBUG")
RELAXED = DEMO or DEBUG  # the demo and a developer's laptop: insecure defaults allowed

SECRET_KEY = env.required(
    "SECRET_KEY", unless=RELAXED, fallback="guichet-demo-only-secret-key-never-use-in-production"
)
ALLOWED_HOSTS = env.words("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env.words("CSRF_TRUSTED_ORIGINS")
GUICHET_BASE_URL = env.required(
    "GUICHET_BASE_URL",
    unless=RELAXED,
    fallback=f"http://{env.text('GUICHET_HOST', '127.0.0.1')}:{env.integer('GUICHET_PORT', 8000)}",
).rstrip("/")

# --- Applications --------------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "guichet.core",
    "guichet.insured",
    "guichet.identity",
    "guichet.messaging",
    "guichet.home",
    "guichet.demo",
    "guichet.workqueues",
    "guichet.backoffice",
    "guichet.payments",
    "guichet.debts",
    "guichet.documents",
    "guichet.complementary",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "guichet.identity.middleware.IdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guichet.core.context_processors.site",
                "guichet.backoffice.context_processors.agent_navigation",
                "guichet.messaging.context_processors.unread",
            ],
            "builtins": ["guichet.core.templatetags.guichet"],
        },
    },
    {  # plain-text e-mails: nothing to escape
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False, "builtins": ["guichet.core.templatetags.guichet"]},
    },
]
FORM_RENDERER = "guichet.core.forms.GuichetFormRenderer"

# --- Data ----------------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env.text("DATABASE_URL", f"sqlite:///{VAR_DIR / 'guichet.sqlite3'}")
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker and the web processes read while one writes; IMMEDIATE avoids the
    # "database is locked" upgrade deadlock when two transactions both start by reading.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps connections
    DATABASES["default"]["OPTIONS"] = {
        "pool": {
            "min_size": env.integer("DATABASE_POOL_MIN_SIZE", 1),
            "max_size": env.integer("DATABASE_POOL_MAX_SIZE", 10),
            "timeout": 10,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.text("REDIS_URL")
CACHE_KEY_PREFIX = env.text("CACHE_KEY_PREFIX", "guichet")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    # Shared by every process of one machine, unlike the local-memory cache: rate limits hold.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "guichet_cache",
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# --- Identity ------------------------------------------------------------------------------------
AUTH_USER_MODEL = "identity.Account"
AUTHENTICATION_BACKENDS = ["guichet.identity.backends.AccountBackend"]
LOGIN_URL = "identity:login"
LOGIN_REDIRECT_URL = "home:index"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Idle sessions end after 20 minutes (identity.middleware); none lives longer than 12 hours.
GUICHET_IDLE_TIMEOUT_SECONDS = env.integer("GUICHET_IDLE_TIMEOUT_SECONDS", 20 * 60)
SESSION_COOKIE_AGE = 12 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_NAME = "guichet_session"
GUICHET_LOGIN_RATE_PER_IP = env.text("GUICHET_LOGIN_RATE_PER_IP", "30/5m")
# How many reverse proxies of ours stand in front (0: REMOTE_ADDR is the client); core.http.client_ip
GUICHET_TRUSTED_PROXIES = env.integer("GUICHET_TRUSTED_PROXIES", 0)

# --- FranceConnect (docs/environment.md, docs/adr/0030) ---------------------------------------------
# The demo talks to the sandbox of sandboxes/franceconnect (`make run` starts it on port 8001);
# production leaves FranceConnect off until FC_DISCOVERY_URL and the client's credentials are set.
FC_SANDBOX_URL = env.text(
    "FC_SANDBOX_URL", f"http://127.0.0.1:{env.integer('FC_SANDBOX_PORT', 8001)}"
).rstrip("/")
FC_DISCOVERY_URL = env.text(
    "FC_DISCOVERY_URL",
    f"{FC_SANDBOX_URL}/api/v2/.well-known/openid-configuration" if DEMO else "",
)
FC_CLIENT_ID = env.text("FC_CLIENT_ID", "guichet-bac-a-sable" if DEMO else "")
FC_CLIENT_SECRET = env.text(
    "FC_CLIENT_SECRET", "secret-du-bac-a-sable-jamais-en-production" if DEMO else ""
)
if FC_DISCOVERY_URL and not (FC_CLIENT_ID and FC_CLIENT_SECRET):
    env.required("FC_CLIENT_SECRET" if FC_CLIENT_ID else "FC_CLIENT_ID", unless=False, fallback="")
FC_SIGNING_ALG = env.choice("FC_SIGNING_ALG", "ES256", ("ES256", "RS256"))
FC_ACR_VALUES = env.choice("FC_ACR_VALUES", "eidas1", ("eidas1", "eidas2", "eidas3"))
FC_SCOPES = env.text(
    "FC_SCOPES",
    "openid given_name family_name birthdate gender birthplace birthcountry email preferred_username",
)
FC_REDIRECT_URI = env.text("FC_REDIRECT_URI", f"{GUICHET_BASE_URL}/franceconnect/retour/")
FC_POST_LOGOUT_REDIRECT_URI = env.text(
    "FC_POST_LOGOUT_REDIRECT_URI", f"{GUICHET_BASE_URL}/franceconnect/deconnexion/"
)
FC_HTTP_TIMEOUT_SECONDS = env.integer("FC_HTTP_TIMEOUT_SECONDS", 5, low=1, high=60)
FC_CLOCK_SKEW_SECONDS = env.integer("FC_CLOCK_SKEW_SECONDS", 60, low=0, high=300)

# --- Paying debts: the Sips kiosk and the bounds (docs/environment.md, docs/adr/0072) -----------
# The demo talks to the kiosk of sandboxes/kiosk (`make run` starts it on port 8002) with
# Worldline's public simulation merchant; production sets its own merchant and secret.
KIOSK_SANDBOX_URL = env.text(
    "KIOSK_SANDBOX_URL", f"http://127.0.0.1:{env.integer('KIOSK_SANDBOX_PORT', 8002)}"
).rstrip("/")
SIPS_PAYPAGE_URL = env.text("SIPS_PAYPAGE_URL", f"{KIOSK_SANDBOX_URL}/paymentInit" if DEMO else "")
SIPS_OFFICE_URL = env.text("SIPS_OFFICE_URL", KIOSK_SANDBOX_URL if DEMO else "")
SIPS_MERCHANT_ID = env.text("SIPS_MERCHANT_ID", "002001000000001" if DEMO else "")
SIPS_SECRET_KEY = env.text("SIPS_SECRET_KEY", "002001000000001_KEY1" if DEMO else "")
if SIPS_PAYPAGE_URL and not (SIPS_MERCHANT_ID and SIPS_SECRET_KEY):
    env.required(
        "SIPS_SECRET_KEY" if SIPS_MERCHANT_ID else "SIPS_MERCHANT_ID", unless=False, fallback=""
    )
SIPS_KEY_VERSION = env.integer("SIPS_KEY_VERSION", 1)
SIPS_INTERFACE_VERSION = env.text("SIPS_INTERFACE_VERSION", "HP_2.24")
SIPS_OFFICE_INTERFACE_VERSION = env.text("SIPS_OFFICE_INTERFACE_VERSION", "DR_WS_2.9")
SIPS_HTTP_TIMEOUT_SECONDS = env.integer("SIPS_HTTP_TIMEOUT_SECONDS", 5)
# Online payment is open when the PF/franchise balance due is within these bounds (seed 001)…
GUICHET_DEBT_ELIGIBLE_MIN = env.decimal("GUICHET_DEBT_ELIGIBLE_MIN", "50.00")
GUICHET_DEBT_ELIGIBLE_MAX = env.decimal("GUICHET_DEBT_ELIGIBLE_MAX", "150.00")
# …and one payment is between these amounts (seed 000), the minimum never above what is due.
GUICHET_DEBT_PAYMENT_MIN = env.decimal("GUICHET_DEBT_PAYMENT_MIN", "16.00")
GUICHET_DEBT_PAYMENT_MAX = env.decimal("GUICHET_DEBT_PAYMENT_MAX", "50.00")
# A notice is issued for deferred PF/franchises older than this, once they reach this amount.
GUICHET_DEBT_NOTICE_AFTER_DAYS = env.integer("GUICHET_DEBT_NOTICE_AFTER_DAYS", 90)
GUICHET_DEBT_NOTICE_MINIMUM = env.decimal("GUICHET_DEBT_NOTICE_MINIMUM", "15.00")
# How often the accounting run posts accepted payments (the seed promises at most 24 h).
GUICHET_DEBT_ACCOUNTING_EVERY_MINUTES = env.integer("GUICHET_DEBT_ACCOUNTING_EVERY_MINUTES", 60)
# A transaction the kiosk has not answered after this long is asked about (reconciliation).
GUICHET_DEBT_RECONCILE_AFTER_MINUTES = env.integer("GUICHET_DEBT_RECONCILE_AFTER_MINUTES", 30)

# --- E-mail --------------------------------------------------------------------------------------
_smtp_host = env.text("EMAIL_HOST")  # not named EMAIL_HOST: Django 6.1 refuses it beside MAILERS
if _smtp_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _smtp_host,
                "port": env.integer("EMAIL_PORT", 587),
                "username": env.text("EMAIL_HOST_USER"),
                "password": env.text("EMAIL_HOST_PASSWORD"),
                "use_tls": env.flag("EMAIL_USE_TLS", True),
                "use_ssl": env.flag("EMAIL_USE_SSL", False),
                "timeout": env.integer("EMAIL_TIMEOUT", 20),
            },
        }
    }
elif RELAXED:
    # The demo delivers nowhere: its mailbox page (/demo/boite-mail/) shows every e-mail.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
else:
    env.required("EMAIL_HOST", unless=False, fallback="")
DEFAULT_FROM_EMAIL = env.required(
    "DEFAULT_FROM_EMAIL", unless=RELAXED, fallback="Guichet <ne-pas-repondre@guichet.localhost>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Sent e-mails hold one-time codes: production keeps only their envelope once delivered.
GUICHET_OUTBOX_KEEP_BODIES = env.flag("GUICHET_OUTBOX_KEEP_BODIES", RELAXED)

# --- Security ------------------------------------------------------------------------------------
SECURE_COOKIES = env.flag("GUICHET_SECURE_COOKIES", not RELAXED)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", 0 if RELAXED else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", False)
if env.flag("GUICHET_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    # FranceConnect's official button carries its font inside its stylesheet, as a data: URI (ADR 0033).
    "font-src": [CSP.SELF, "data:"],
    # The login button and the logout post a form that FranceConnect's pages answer by redirect.
    "form-action": [CSP.SELF, *env.origins(FC_DISCOVERY_URL), *env.origins(SIPS_PAYPAGE_URL)],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# --- Locale, static files ------------------------------------------------------------------------
LANGUAGE_CODE = "fr-fr"
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
# Files joined to messages: the file system under MEDIA_ROOT by default, or another Django storage
# backend, such as an object storage that the operator installs (e.g. django-storages' S3Storage),
# with its options as JSON.
STORAGES = {
    "default": {
        "BACKEND": env.text("GUICHET_FILE_STORAGE", "django.core.files.storage.FileSystemStorage"),
        "OPTIONS": json.loads(env.text("GUICHET_FILE_STORAGE_OPTIONS", "{}")),
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Logs ----------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"logfmt": {"()": "guichet.core.logging.LogfmtFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "logfmt"}},
    "root": {"handlers": ["console"], "level": env.text("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "httpx": {"level": "WARNING"},  # FranceConnect's calls: one line per request is noise
    },
}

# --- Guichet -------------------------------------------------------------------------------------
GUICHET_SITE_NAME = env.text("GUICHET_SITE_NAME", "Guichet")
GUICHET_ORGANISATION_NAME = env.text("GUICHET_ORGANISATION_NAME", "Assurance Maladie")
CSRF_FAILURE_VIEW = "guichet.core.views.csrf_failure_view"
# Payments: the largest JSON Lines file the fund's systems may post to /flux/<feed>/ at once
GUICHET_FEED_MAX_BYTES = env.integer("GUICHET_FEED_MAX_BYTES", 200 * 1024 * 1024)
# Messaging: how long a message stays in the member's inbox ("Sera supprimé le …")
GUICHET_MESSAGE_RETENTION_MONTHS = env.integer("GUICHET_MESSAGE_RETENTION_MONTHS", 6)
# The largest file a member may attach to a message (3 at most, PDF, JPEG or PNG)
GUICHET_ATTACHMENT_MAX_BYTES = env.integer("GUICHET_ATTACHMENT_MAX_BYTES", 5 * 1024 * 1024)
# The answer time promised to a member who writes ("réponse en moins de 48h"), the queue's SLA
GUICHET_ANSWER_DELAY_HOURS = env.integer("GUICHET_ANSWER_DELAY_HOURS", 48)
# A member's choice of complementary insurer not processed by a gestionnaire is processed by the
# scheduled job after this many days ("traité sous 7 jours").
GUICHET_COMPLEMENTARY_PROCESSING_DAYS = env.integer("GUICHET_COMPLEMENTARY_PROCESSING_DAYS", 7)
# At most this many messages a member may write to the fund in 24 hours
GUICHET_MESSAGES_PER_DAY = env.integer("GUICHET_MESSAGES_PER_DAY", 10)
# Documents (ADR 0060): the fund's ECDSA P-256 private key (PEM) that signs every document's code,
# and its 4-character id. The demo derives a fixed key of its own, id DEMO; production must set both.
GUICHET_DOCUMENT_SIGNING_KEY = env.required(
    "GUICHET_DOCUMENT_SIGNING_KEY", unless=RELAXED, fallback=""
).replace("\\n", "\n")
GUICHET_DOCUMENT_KEY_ID = env.required("GUICHET_DOCUMENT_KEY_ID", unless=RELAXED, fallback="DEMO")
