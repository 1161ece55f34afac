"""The only settings module of e-ISO. Everything that differs between machines comes from the
environment (see README.md, "Configuration"). Without any variable set, it runs the embedded
development mode: SQLite in ./data, DEBUG on, a development secret key, in-process tasks."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import (
    email_settings_from_url,
    env_bool,
    env_float,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("EISO_DATA_DIR", str(BASE_DIR / "data")))
TESTING = "pytest" in sys.modules or env_bool("EISO_TESTING", False)

DEBUG = env_bool("DEBUG", False)
# The embedded/dev mode (make run) sets EISO_DEV=1; only then is a default secret key allowed.
DEV_MODE = env_bool("EISO_DEV", False) or TESTING
_secret = (
    env_str("SECRET_KEY", "") if not DEV_MODE else env_str("SECRET_KEY", "dev-only-insecure-key")
)
if not _secret:
    raise ImproperlyConfigured("SECRET_KEY must be set (or EISO_DEV=1 for the local dev mode).")
SECRET_KEY = _secret
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEV_MODE else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Reverse proxies whose X-Forwarded-For is believed (IPs or CIDRs); empty = trust nobody.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network."
        ) from _exc

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "eiso.core",
    "eiso.organizations",
    "eiso.accounts",
    "eiso.documents",
    "eiso.procedures",
    "eiso.qms",
    "eiso.oversight",
    "eiso.objectives",
    "eiso.risks",
    "eiso.records",
    "eiso.training",
    "eiso.audits",
    "eiso.improvements",
    "eiso.reviews",
    "eiso.feedback",
    "eiso.cycle",
    "eiso.reports",
    "eiso.inspections",
    "eiso.dashboard",
    "eiso.portal",
    "eiso.demo",
    "eiso.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "eiso.core.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "eiso.accounts.middleware.NoStoreMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "eiso.accounts.middleware.SessionActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "eiso.core.middleware.RequestContextMiddleware",
    "eiso.accounts.middleware.ActiveMembershipMiddleware",
    "eiso.accounts.middleware.SecondFactorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "eiso.accounts.context_processors.navigation",
            ],
        },
    }
]

# --- database -------------------------------------------------------------------------------
# PostgreSQL for this workload (README "Configuration"):
# - DB_CONN_MAX_AGE (60 s): a web or Celery process keeps its connection between requests (a new
#   PostgreSQL connection is a forked backend: milliseconds and megabytes each time), but not
#   forever, so idle processes give it back. Open connections = processes (x2 with a replica):
#   size max_connections for it. Behind PgBouncer in transaction mode set it to 0.
# - CONN_HEALTH_CHECKS: a kept connection is checked once when a request reuses it, so a
#   restarted or failed-over server costs a reconnect, not an error page.
# - jit=off (DB_JIT=1 to keep it): the pages run many short queries whose estimated cost passes
#   PostgreSQL's JIT threshold (correlated counts over large tables); compiling them added
#   18-133 ms to each and saved nothing (issue 15's measures).
# - random_page_cost=1.1 (DB_RANDOM_PAGE_COST; empty: the server's, 4 by default): the working
#   set is in memory, where reading a row through an index costs about what reading it in a
#   scan does. With 4, PostgreSQL read a whole table (the country's 17,050 legal texts) rather
#   than look up a province's 250 agencies' rows by index (10.8 -> 2.8 ms).
# - DB_PREPARE (on): parameters bound by the server, and a statement run PREPARE_THRESHOLD times
#   on a connection prepared there, parsed and planned once (eiso/core/prepared.py: not those
#   with a LIKE on a parameter, whose plans depend on the pattern). Off behind PgBouncer in
#   transaction mode unless it keeps prepared statements (max_prepared_statements, 1.21+).
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'eiso.sqlite3'}")
PREPARE_THRESHOLD = 5
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")


def _database(url: str) -> dict:
    database = dj_database_url.parse(
        url, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
    )
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        server_options = []
        if not env_bool("DB_JIT", False):
            server_options.append("-c jit=off")
        if env_str("DB_RANDOM_PAGE_COST", "1.1").strip():  # empty: the server's
            cost = env_float("DB_RANDOM_PAGE_COST", 1.1)
            server_options.append(f"-c random_page_cost={cost}")
        if server_options:
            options["options"] = " ".join(server_options)
        if env_bool("DB_PREPARE", True):
            # eiso/core/prepared.py gives these connections its cursor (eiso.core's ready()).
            options["server_side_binding"] = True
            options["prepare_threshold"] = PREPARE_THRESHOLD
    return database


DATABASES = {"default": _database(DATABASE_URL)}
if DATABASE_REPLICA_URL:
    # Reads of the overseer's reports, summaries and dashboards (eiso/core/routers.py). A test
    # run points it at the default database (a replica holds the same rows), unless
    # DATABASE_REPLICA_TEST_SEPARATE=1 (`make test-replica`): then the replica is a second test
    # database, filled with a copy of the primary's, standing in for streaming replication.
    DATABASES["replica"] = _database(DATABASE_REPLICA_URL)
    if not env_bool("DATABASE_REPLICA_TEST_SEPARATE", False):
        DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["eiso.core.routers.ReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _db_name = str(DATABASES["default"]["NAME"])
    if _db_name and _db_name != ":memory:":
        Path(_db_name).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES["default"]["TEST"] = (
    {"NAME": env_str("TEST_DATABASE_NAME", "")} if env_str("TEST_DATABASE_NAME", "") else {}
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not a check: revokes the person's API tokens whenever their password changes.
    {"NAME": "eiso.accounts.passwords.RevokeApiTokensOnPasswordChange"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# Beside the per-name limit: failures from one address over every user name (spraying).
AXES_IP_FAILURE_LIMIT = env_int("AXES_IP_FAILURE_LIMIT", 30)
AXES_HANDLER = "eiso.accounts.lockout.EisoAxesHandler"
AXES_USERNAME_CALLABLE = "eiso.accounts.lockout.username_of"
# The client's address as the audit trail sees it: X-Forwarded-For only from TRUSTED_PROXIES.
AXES_CLIENT_IP_CALLABLE = "eiso.core.middleware.client_ip"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# Sessions end after this many minutes without a request (0 = never; SESSION_COOKIE_AGE still
# ends them).
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
# Roles whose holders must sign in with a second factor (TOTP app or recovery code). The
# local demo (EISO_DEV=1, `make run`) only offers it, so a newcomer can sign in as the demo
# overseer without an authenticator app; seed_demo says so. Everywhere else (production, the
# test suite) administrators and overseers must use it.
TWO_FACTOR_REQUIRED_ROLES = env_list(
    "TWO_FACTOR_REQUIRED_ROLES",
    [] if env_bool("EISO_DEV", False) and not TESTING else ["admin", "overseer"],
)
_unknown_roles = set(TWO_FACTOR_REQUIRED_ROLES) - {
    "staff", "iso_secretary", "head", "auditor", "overseer", "inspector", "admin"
}  # fmt: skip
if _unknown_roles:
    raise ImproperlyConfigured(
        f"TWO_FACTOR_REQUIRED_ROLES: unknown roles {sorted(_unknown_roles)}."
    )
OTP_TOTP_ISSUER = "e-ISO"
# API tokens expire after this many days unless issued for fewer.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 365)
# The address e-mailed links start with (e.g. https://eiso.tinh.gov.vn); empty = the address
# of the request that sent the e-mail.
SITE_URL = env_str("SITE_URL", "")

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
# Selects and inputs written in Python, byte for byte as Django's templates (issue 15).
FORM_RENDERER = "eiso.core.form_renderer.WidgetRenderer"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]

# --- static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or DEV_MODE
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Development serves static files straight from the app directories (no collectstatic).
WHITENOISE_USE_FINDERS = DEBUG or DEV_MODE
WHITENOISE_AUTOREFRESH = DEBUG or DEV_MODE
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_MB * 1024 * 1024
# Spreadsheet imports: a file of more rows is refused; more than IMPORT_SYNC_ROWS run as a
# background job with progress.
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)
IMPORT_SYNC_ROWS = env_int("IMPORT_SYNC_ROWS", 2_000)
# Reports over more agencies than this (the summary by tier as DOCX or XLSX) are prepared in
# the background (eiso/core/jobs.py) with a progress page; smaller ones are sent at once.
OUTPUT_SYNC_AGENCIES = env_int("OUTPUT_SYNC_AGENCIES", 1_000)

# --- e-mail ---------------------------------------------------------------------------------
_email_url = env_str("EMAIL_URL", "console://" if not TESTING else "locmem://")
for _key, _value in email_settings_from_url(_email_url).items():
    globals()[_key] = _value
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "e-ISO <no-reply@eiso.local>")

# --- background work ------------------------------------------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "") or None
CELERY_TIMEZONE = TIME_ZONE
# The annual cycle's reminders (eiso.cycle): once a day at REMINDERS_HOUR (local time) through
# Celery beat; where there is no broker, cron runs ``manage.py send_reminders``. Each reminder
# is sent once whatever runs it. REMINDERS_EVERY_SECONDS (tests of a real worker and beat)
# runs it every that many seconds instead.
REMINDERS_HOUR = env_int("REMINDERS_HOUR", 7)
REMINDERS_EVERY_SECONDS = env_int("REMINDERS_EVERY_SECONDS", 0)
CELERY_BEAT_SCHEDULE = {
    "cycle-send-reminders": {
        "task": "eiso.cycle.send_reminders",
        "schedule": (
            float(REMINDERS_EVERY_SECONDS)
            if REMINDERS_EVERY_SECONDS
            else crontab(hour=REMINDERS_HOUR, minute=0)
        ),
    }
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "eiso.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": [
        "eiso.api.parsers.DepthLimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "eiso.api.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "eiso.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "eiso.api.errors.exception_handler",
    "DATE_FORMAT": "iso-8601",  # %Y gives "257-04-19" for the year 257: not a date
    "DATE_INPUT_FORMATS": ["%Y-%m-%d", "%d/%m/%Y"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "e-ISO API",
    "DESCRIPTION": "REST API of e-ISO for one-stop and e-office integrations.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and Swagger UI are for signed-in people and token clients only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name for a choice set several fields share (days and months of the obligation rules).
    "ENUM_NAME_OVERRIDES": {
        "MonthEnum": "eiso.cycle.models.MONTHS",
        "DayEnum": "eiso.cycle.models.DAYS",
    },
}

# --- security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 3600)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# A strict Content-Security-Policy everywhere (production, dev and tests alike): scripts, styles,
# fonts and requests only from this origin; no inline script, no style="" attribute, no eval;
# images also as data: URIs (Bootstrap draws its form controls with inline SVG). The browser
# suite (e2e/test_csp.py) visits every page and fails on any reported violation. Only the
# Swagger UI page relaxes style-src (eiso/api/views/docs.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    }
}
if not DEBUG and not DEV_MODE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# --- e-ISO ----------------------------------------------------------------------------------
EISO_PROVINCE_NAME = env_str("EISO_PROVINCE_NAME", "")
# Trust anchors of digital signatures (ký số): PEM or DER files of the root certification
# authorities, comma-separated paths. Empty: signatures are checked for integrity and signer,
# and their certificate shown as not among the trusted authorities.
SIGNATURE_TRUST_ROOTS = env_list("SIGNATURE_TRUST_ROOTS", [])


# --- cache and the public portal ------------------------------------------------------------
# The cache keeps the public portal's pages and its rate-limit counters. With several app
# processes, give them one Redis (CACHE_URL=redis://127.0.0.1:6379/1); empty: each process's
# own memory (fine for one process).
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("CACHE_URL must be a redis://, rediss:// or unix:// URL.")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "eiso"}
    )
}
# How long (seconds) an overseer's dashboard, once computed, may be shown while other people
# change data (eiso/dashboard/selectors.py "kept"): the page says when it was computed and offers
# to compute it again; the person's own changes always show at once. 0: compute it again after
# any change anywhere.
DASHBOARD_MAX_AGE = env_int("DASHBOARD_MAX_AGE", 300)
# The same for a person's inbox ("Việc cần làm": the home page, the header's count, its page),
# their home page's panels and an agency's master list; anything written in the person's (or
# the list's) agencies shows at once.
INBOX_MAX_AGE = env_int("INBOX_MAX_AGE", 60)
# Python's garbage collector in the web processes (config/wsgi.py, eiso/core/runtime.py): the
# loaded application is frozen and the youngest generation collected after this many
# allocations (Python's default: 700; the collector then took 2.0-2.6 ms of a secretary's
# 21-30 ms page, 0.4-0.9 ms after). 0: Python's defaults, nothing frozen.
GC_THRESHOLD = env_int("GC_THRESHOLD", 50_000)
# Requests per client address on the public portal, "scope=count/seconds" comma-separated,
# over the defaults (eiso/portal/guards.py: page=240/60, file=60/60, rating=10/3600,
# complaint=5/3600, lookup=20/600).
PUBLIC_RATE_LIMITS: dict[str, tuple[int, int]] = {}
for _item in env_list("PUBLIC_RATE_LIMITS", []):
    _scope, _, _rule = _item.partition("=")
    _count, _, _seconds = _rule.partition("/")
    if (
        _scope not in {"page", "file", "rating", "complaint", "lookup"}
        or not _count.isdigit()
        or not _seconds.isdigit()
        or int(_count) < 1
        or int(_seconds) < 1
    ):
        raise ImproperlyConfigured(
            f"PUBLIC_RATE_LIMITS: {_item!r} is not scope=count/seconds "
            "(scopes: page, file, rating, complaint, lookup)."
        )
    PUBLIC_RATE_LIMITS[_scope] = (int(_count), int(_seconds))
