"""Project settings, read from the environment (see docs/configuration.md).

Defaults are safe for a single machine: an embedded SQLite file under var/, debug off, a secret
key generated into var/ on first start. `ANJIAN_ENV=production` refuses to start without an
explicit SECRET_KEY and DATABASE_URL and turns on the transport-security settings.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from anjian.envconf import env_base_url, env_bool, env_int, env_list, env_minutes, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent
VAR_DIR = Path(env_str("ANJIAN_VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_str("ANJIAN_ENV", "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured(
        f"ANJIAN_ENV={ENVIRONMENT!r}: expected development, test or production"
    )
PRODUCTION = ENVIRONMENT == "production"


def _secret_key() -> str:
    key = env_str("SECRET_KEY", "")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when ANJIAN_ENV=production")
    # A per-installation key kept under var/, so sessions survive restarts of the demo.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("ANJIAN_DEBUG", False)
ALLOWED_HOSTS = env_list("ANJIAN_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("ANJIAN_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # First, so that its `changepassword` replaces Django's (which bypasses the password rules,
    # the history and the audit trail); Django takes a command from the first app that has it.
    "anjian.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    # The second factor (TOTP) for staff: docs/security.md "Second factor".
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Only for its templates and static files: with it installed, /api/docs serves Swagger UI
    # from /static/ninja/ instead of a CDN (an intranet has none).
    "ninja",
    "anjian.core",
    "anjian.auditlog",
    "anjian.entities",
    "anjian.catalog",
    "anjian.plans",
    "anjian.inspections",
    "anjian.draws",
    "anjian.evidence",
    "anjian.cases",
    "anjian.documents",
    "anjian.publications",
    "anjian.complaints",
    "anjian.credit",
    "anjian.enterprise",
    # Accident reports up the chain, and the inbox and SMS (docs/accidents.md, notifications.md).
    "anjian.accidents",
    "anjian.notifications",
    "anjian.annualreports",
    "anjian.associations",
    "anjian.portal",
    # Background jobs (docs/decisions/0012-background-jobs.md): the queue and its failures page,
    # then Huey's own `run_huey` worker command.
    "anjian.jobs",
    "huey.contrib.djhuey",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "anjian.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "anjian.core.middleware.ChineseByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "anjian.core.middleware.RejectNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "anjian.accounts.middleware.SecondFactorMiddleware",
    "anjian.accounts.middleware.PasswordExpiryMiddleware",
    # AxesMiddleware last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "anjian.urls"
WSGI_APPLICATION = "anjian.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "anjian.accounts.context_processors.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
_default_sqlite = f"sqlite:///{VAR_DIR / 'anjian.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", _default_sqlite))}
if PRODUCTION and "DATABASE_URL" not in __import__("os").environ:
    raise ImproperlyConfigured("DATABASE_URL must be set when ANJIAN_ENV=production")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE: a write transaction takes the database lock when it begins, so two writers
        # of the audit chain queue up instead of both reading the same head
        # (docs/audit-chain.md).
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication and login safety (等保2.0 baseline, docs/security.md) --------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("ANJIAN_PASSWORD_MIN_LENGTH", 8, minimum=8)},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "anjian.accounts.passwords.CommonPasswordPatternValidator"},
    {"NAME": "anjian.accounts.passwords.CharacterClassValidator"},
    {"NAME": "anjian.accounts.passwords.PasswordHistoryValidator"},
]
ANJIAN_PASSWORD_HISTORY = env_int("ANJIAN_PASSWORD_HISTORY", 5, minimum=0)
# Second factor (TOTP, django-otp) for these roles (codes from accounts/roles.py, or "all" for
# every staff role). The system and audit administrators manage the platform and its trail, the
# legal reviewer opens the gate to major decisions. A user who enrolled a device is always asked.
ANJIAN_OTP_REQUIRED_ROLES = env_list(
    "ANJIAN_OTP_REQUIRED_ROLES", ["administrator", "auditor", "legal_reviewer"]
)
OTP_TOTP_ISSUER = env_str("ANJIAN_OTP_ISSUER", "anjian")
OTP_TOTP_THROTTLE_FACTOR = 1  # django-otp: after a wrong code wait 1, 2, 4 … seconds
ANJIAN_PASSWORD_MAX_AGE_DAYS = env_int("ANJIAN_PASSWORD_MAX_AGE_DAYS", 90, minimum=0)

AXES_FAILURE_LIMIT = env_int("ANJIAN_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_minutes("ANJIAN_LOGIN_LOCKOUT_MINUTES", 30)
# Lock the account, not the address: bureau offices sit behind one NAT address, and locking
# it would lock out a whole office. Hence axes.W006 is silenced below, deliberately.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

SESSION_COOKIE_AGE = int(env_minutes("ANJIAN_SESSION_IDLE_MINUTES", 30).total_seconds())
SESSION_SAVE_EVERY_REQUEST = True  # makes SESSION_COOKIE_AGE an idle timeout
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Internationalisation ------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True


# --- Evidence files (docs/evidence.md): a local directory, or S3-compatible object storage ---
def _evidence_storage() -> dict[str, Any]:
    kind = env_str("ANJIAN_EVIDENCE_STORAGE", "local").strip().lower()
    if kind == "local":
        directory = env_str("ANJIAN_EVIDENCE_DIR", "")  # empty: MEDIA_ROOT/evidence
        return {
            "BACKEND": "anjian.evidence.storage.LocalEvidenceStorage",
            "OPTIONS": {"location": directory} if directory else {},
        }
    if kind != "s3":
        raise ImproperlyConfigured(f"ANJIAN_EVIDENCE_STORAGE={kind!r}: expected local or s3")
    # django-storages and boto3 are an optional dependency (`pip install 'anjian[s3]'`),
    # imported by Django only when the storage is first used; check here so that a missing
    # package stops start-up instead of the first upload.
    import importlib.util

    if not (importlib.util.find_spec("storages") and importlib.util.find_spec("boto3")):
        raise ImproperlyConfigured(
            "ANJIAN_EVIDENCE_STORAGE=s3 needs django-storages and boto3: pip install 'anjian[s3]'"
        )
    bucket = env_str("ANJIAN_EVIDENCE_S3_BUCKET", "")
    if not bucket:
        raise ImproperlyConfigured(
            "ANJIAN_EVIDENCE_S3_BUCKET must be set when ANJIAN_EVIDENCE_STORAGE=s3"
        )
    options = {
        "bucket_name": bucket,
        "location": env_str("ANJIAN_EVIDENCE_S3_PREFIX", "evidence"),
        "endpoint_url": env_str("ANJIAN_EVIDENCE_S3_ENDPOINT_URL", "") or None,
        "region_name": env_str("ANJIAN_EVIDENCE_S3_REGION", "") or None,
        "access_key": env_str("ANJIAN_EVIDENCE_S3_ACCESS_KEY_ID", "") or None,
        "secret_key": env_str("ANJIAN_EVIDENCE_S3_SECRET_ACCESS_KEY", "") or None,
        "default_acl": "private",
        "querystring_auth": True,
        "file_overwrite": True,  # a content address always names the same bytes
        "addressing_style": env_str("ANJIAN_EVIDENCE_S3_ADDRESSING_STYLE", "") or None,
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


# --- Static files: everything served from this server (offline intranets) -----------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", NODE_MODULES / "bootstrap-icons" / "font"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/noto-sans-sc", NODE_MODULES / "@fontsource" / "noto-sans-sc"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Issued enforcement documents (DOCX and PDF); default MEDIA_ROOT/documents.
    "documents": {
        "BACKEND": env_str(
            "ANJIAN_DOCUMENTS_STORAGE_BACKEND", "anjian.documents.storage.DocumentFileStorage"
        )
    },
    "evidence": _evidence_storage(),
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on a missing root
MEDIA_ROOT = VAR_DIR / "media"

# --- Transport security (on in production; an intranet without TLS must say so explicitly) --
_https = env_bool("ANJIAN_HTTPS", PRODUCTION)
SECURE_SSL_REDIRECT = _https
SESSION_COOKIE_SECURE = _https
CSRF_COOKIE_SECURE = _https
SECURE_HSTS_SECONDS = env_int("ANJIAN_HSTS_SECONDS", 31536000 if _https else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _https
SECURE_HSTS_PRELOAD = _https
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("ANJIAN_BEHIND_PROXY", False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# The content security policy and the other headers Django 5.2 does not set
# (core.middleware.SecurityHeadersMiddleware; docs/security.md "Transport and headers").
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
ANJIAN_SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Permissions-Policy": (
        "camera=(self), microphone=(self), geolocation=(self), payment=(), usb=(), "
        "serial=(), bluetooth=(), midi=()"
    ),
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Permitted-Cross-Domain-Policies": "none",
}

# --- Platform -------------------------------------------------------------------------------
ANJIAN_PROVINCE_CODE = "140000"
ANJIAN_PLATFORM_NAME = _("Shanxi Emergency Management Internet + Supervision Platform")
ANJIAN_API_PAGE_MAX = env_int("ANJIAN_API_PAGE_MAX", 200, minimum=1)
ANJIAN_CERTIFICATE_EXPIRY_WARNING_DAYS = env_int("ANJIAN_CERTIFICATE_EXPIRY_WARNING_DAYS", 60)
# Rectification (责令限期整改): the deadline suggested for a correction order, and how many working
# days past its deadline an order without a passed re-inspection is escalated (defaults; no
# statute fixes either figure).
ANJIAN_RECTIFICATION_WORKING_DAYS = env_int("ANJIAN_RECTIFICATION_WORKING_DAYS", 10, minimum=1)
ANJIAN_RECTIFICATION_ESCALATE_WORKING_DAYS = env_int(
    "ANJIAN_RECTIFICATION_ESCALATE_WORKING_DAYS", 5, minimum=0
)
# Sectors every issued plan set must cover in full (N3.4 特殊重点领域全覆盖); the coordination
# page lists their uncovered entities as gaps. Values are the industry codes of core/choices.py.
ANJIAN_FULL_COVERAGE_INDUSTRIES = env_list("ANJIAN_FULL_COVERAGE_INDUSTRIES", ["coal_mine"])
_INDUSTRY_CODES = {
    "coal_mine", "non_coal_mine", "hazardous_chemicals", "fireworks", "metallurgy", "non_ferrous",
    "building_materials", "machinery", "light_industry", "textiles", "tobacco", "commerce_trade",
}  # fmt: skip
if set(ANJIAN_FULL_COVERAGE_INDUSTRIES) - _INDUSTRY_CODES:
    raise ImproperlyConfigured(
        f"ANJIAN_FULL_COVERAGE_INDUSTRIES={','.join(ANJIAN_FULL_COVERAGE_INDUSTRIES)}: "
        f"expected industry codes among {', '.join(sorted(_INDUSTRY_CODES))}"
    )

# Enforcement cases (cases app, docs/cases.md). Amounts in yuan. The fine thresholds are common
# practice, not verified against a Shanxi instrument: keep them configurable.
# 重大执法决定 (N5.2): a decision needs a passed legal review when any of these holds, and
# always when the penalty lies outside the discretion benchmark (N5.1).
ANJIAN_MAJOR_DECISION = {
    "fine_unit": env_int("ANJIAN_MAJOR_FINE_UNIT", 100_000, minimum=0),
    "fine_individual": env_int("ANJIAN_MAJOR_FINE_INDIVIDUAL", 10_000, minimum=0),
    "measures": env_list(
        "ANJIAN_MAJOR_MEASURES",
        ["suspension", "licence_revocation", "closure", "lifetime_ban", "judicial_transfer"],
    ),
    "hearing_cases": env_bool("ANJIAN_MAJOR_HEARING_CASES", True),
}
# Hearing entitlement (行政处罚法 第六十三条; thresholds per REFERENCE.md, unverified).
ANJIAN_HEARING = {
    "fine_unit": env_int("ANJIAN_HEARING_FINE_UNIT", 50_000, minimum=0),
    "fine_individual": env_int("ANJIAN_HEARING_FINE_INDIVIDUAL", 20_000, minimum=0),
    "measures": env_list(
        "ANJIAN_HEARING_MEASURES", ["suspension", "licence_revocation", "closure", "lifetime_ban"]
    ),
}
# Collective deliberation (集体讨论, 行政处罚法 第五十七条): "major" cases, or "all".
ANJIAN_CASE_DELIBERATION = env_str("ANJIAN_CASE_DELIBERATION", "major")
if ANJIAN_CASE_DELIBERATION not in ("major", "all"):
    raise ImproperlyConfigured(
        f"ANJIAN_CASE_DELIBERATION={ANJIAN_CASE_DELIBERATION!r}: expected major or all"
    )
# Working days the party has after the notice: statement and defence (3), hearing request (5)
# (行政处罚法 第六十四条, 第八十五条: these 日 are working days).
ANJIAN_CASE_STATEMENT_WORKING_DAYS = env_int("ANJIAN_CASE_STATEMENT_WORKING_DAYS", 3, minimum=0)
ANJIAN_CASE_HEARING_REQUEST_WORKING_DAYS = env_int(
    "ANJIAN_CASE_HEARING_REQUEST_WORKING_DAYS", 5, minimum=0
)

# Enforcement documents (docs/documents.md): the address printed under each document's QR code
# is this base plus /portal/documents/<code>/. Unset, no document is issued (a relative address
# on paper leads nowhere) and `check --deploy` warns; `make demo` sets it to its own address.
ANJIAN_PUBLIC_BASE_URL = env_base_url("ANJIAN_PUBLIC_BASE_URL", "")
# The largest copy a visitor may upload to the public check page to compare (not stored).
ANJIAN_DOCUMENT_CHECK_MAX_BYTES = env_int("ANJIAN_DOCUMENT_CHECK_MAX_MB", 20, minimum=1) * 2**20

# Publication of penalty decisions (执法公示, docs/publications.md): due within N working days of
# the decision; shown for at least M months (国家发改委令第58号: 3 months to 3 years; work-safety
# penalties at least one year).
ANJIAN_PUBLICATION_DUE_WORKDAYS = env_int("ANJIAN_PUBLICATION_DUE_WORKDAYS", 7, minimum=1)
ANJIAN_PUBLICATION_MIN_MONTHS = env_int("ANJIAN_PUBLICATION_MIN_MONTHS", 12, minimum=3)
# A random inspection's result (双随机 一公开) is published within N working days of it.
ANJIAN_DRAW_RESULT_PUBLICATION_WORKDAYS = env_int(
    "ANJIAN_DRAW_RESULT_PUBLICATION_WORKDAYS", 20, minimum=1
)
if ANJIAN_PUBLICATION_MIN_MONTHS > 36:
    raise ImproperlyConfigured(
        f"ANJIAN_PUBLICATION_MIN_MONTHS={ANJIAN_PUBLICATION_MIN_MONTHS}: at most 36 (three years)"
    )

# Complaints and whistleblowing (投诉举报, docs/complaints.md). Every figure is a setting.
# Accepted or refused within N working days of arrival; handled within M calendar days of
# acceptance; the home page warns R working days ahead; a report still open E working days
# after a deadline is escalated to the bureau above.
ANJIAN_COMPLAINT_ACCEPT_WORKDAYS = env_int("ANJIAN_COMPLAINT_ACCEPT_WORKDAYS", 5, minimum=1)
ANJIAN_COMPLAINT_HANDLE_DAYS = env_int("ANJIAN_COMPLAINT_HANDLE_DAYS", 60, minimum=1)
ANJIAN_COMPLAINT_REMIND_WORKDAYS = env_int("ANJIAN_COMPLAINT_REMIND_WORKDAYS", 3, minimum=0)
ANJIAN_COMPLAINT_ESCALATE_WORKDAYS = env_int("ANJIAN_COMPLAINT_ESCALATE_WORKDAYS", 0, minimum=0)
# Duplicates: the same entity (or the same county and industry without one), text at least this
# similar (character-bigram Jaccard, percent), arrived within this many days.
ANJIAN_COMPLAINT_DUPLICATE_DAYS = env_int("ANJIAN_COMPLAINT_DUPLICATE_DAYS", 30, minimum=1)
ANJIAN_COMPLAINT_DUPLICATE_SIMILARITY = env_int(
    "ANJIAN_COMPLAINT_DUPLICATE_SIMILARITY", 50, minimum=1
)
# Which level of bureau is competent for an industry (industry=level,...; county when unnamed).
ANJIAN_COMPLAINT_ROUTING = dict(
    pair.split("=", 1)
    for pair in env_list("ANJIAN_COMPLAINT_ROUTING", ["coal_mine=city"])
    if "=" in pair
)
if set(ANJIAN_COMPLAINT_ROUTING.values()) - {"county", "city", "province"}:
    raise ImproperlyConfigured("ANJIAN_COMPLAINT_ROUTING: levels are county, city or province")
# Receipt codes (回执码): wrong codes allowed per receipt and per client before a pause.
ANJIAN_RECEIPT_FAILURES_PER_RECEIPT = env_int("ANJIAN_RECEIPT_FAILURES_PER_RECEIPT", 5, minimum=1)
ANJIAN_RECEIPT_FAILURES_PER_CLIENT = env_int("ANJIAN_RECEIPT_FAILURES_PER_CLIENT", 20, minimum=1)
ANJIAN_RECEIPT_LOCK_MINUTES = env_int("ANJIAN_RECEIPT_LOCK_MINUTES", 15, minimum=1)
# Reports sent from one client through the public page in an hour (a flood is refused).
ANJIAN_COMPLAINT_INTAKE_PER_HOUR = env_int("ANJIAN_COMPLAINT_INTAKE_PER_HOUR", 20, minimum=1)
# Argon2id cost of a receipt code's hash (OWASP's minimum: 19 MiB, 2 passes). The code has 100
# random bits, so the hash need not be slow to be safe; a cheap one keeps the public page from
# being a CPU sink.
ANJIAN_RECEIPT_ARGON2_MEMORY_KIB = env_int("ANJIAN_RECEIPT_ARGON2_MEMORY_KIB", 19456, minimum=8)
ANJIAN_RECEIPT_ARGON2_TIME_COST = env_int("ANJIAN_RECEIPT_ARGON2_TIME_COST", 2, minimum=1)
# Enterprise accounts (docs/enterprise.md): an invitation's code is valid for this many calendar
# days (14: two working weeks whatever the holidays, and no working-day calendar needed for a
# year not yet published); wrong codes per entity and per client before a pause.
ANJIAN_ENTERPRISE_INVITATION_DAYS = env_int("ANJIAN_ENTERPRISE_INVITATION_DAYS", 14, minimum=1)
ANJIAN_ENTERPRISE_ACTIVATION_FAILURES_PER_ENTITY = env_int(
    "ANJIAN_ENTERPRISE_ACTIVATION_FAILURES_PER_ENTITY", 5, minimum=1
)
ANJIAN_ENTERPRISE_ACTIVATION_FAILURES_PER_CLIENT = env_int(
    "ANJIAN_ENTERPRISE_ACTIVATION_FAILURES_PER_CLIENT", 20, minimum=1
)
ANJIAN_ENTERPRISE_REPORT_MAX_PHOTOS = env_int("ANJIAN_ENTERPRISE_REPORT_MAX_PHOTOS", 9, minimum=1)
ANJIAN_ENTERPRISE_ACTIVATION_LOCK_MINUTES = env_int(
    "ANJIAN_ENTERPRISE_ACTIVATION_LOCK_MINUTES", 15, minimum=1
)
ANJIAN_COMPLAINT_ATTACHMENT_MAX_BYTES = (
    env_int("ANJIAN_COMPLAINT_ATTACHMENT_MAX_MB", 20, minimum=1) * 1024 * 1024
)
ANJIAN_COMPLAINT_ATTACHMENT_MAX_FILES = env_int(
    "ANJIAN_COMPLAINT_ATTACHMENT_MAX_FILES", 6, minimum=1
)
# Rewards (安全生产领域举报奖励办法, 安监总财〔2018〕19号); provinces adjust them.
ANJIAN_REWARD = {
    "fine_share_percent": env_int("ANJIAN_REWARD_FINE_SHARE_PERCENT", 15, minimum=0),
    "minimum": env_int("ANJIAN_REWARD_MINIMUM", 3_000, minimum=0),
    "maximum": env_int("ANJIAN_REWARD_MAXIMUM", 300_000, minimum=0),
    "per_death": {
        "general": env_int("ANJIAN_REWARD_PER_DEATH_GENERAL", 30_000, minimum=0),
        "larger": env_int("ANJIAN_REWARD_PER_DEATH_LARGER", 40_000, minimum=0),
        "major": env_int("ANJIAN_REWARD_PER_DEATH_MAJOR", 50_000, minimum=0),
        "especially_major": env_int("ANJIAN_REWARD_PER_DEATH_ESPECIALLY_MAJOR", 60_000, minimum=0),
    },
    # e.g. 20 in a province that adds 20% for an employee reporting their own employer.
    "employee_bonus_percent": env_int("ANJIAN_REWARD_EMPLOYEE_BONUS_PERCENT", 0, minimum=0),
}
# Monthly statistics on the portal: months shown.
ANJIAN_COMPLAINT_STATISTICS_MONTHS = env_int("ANJIAN_COMPLAINT_STATISTICS_MONTHS", 12, minimum=1)

SILENCED_SYSTEM_CHECKS = ["axes.W006"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("ANJIAN_LOG_LEVEL", "WARNING").upper()},
}

# Imports through the upload page (the command line has no limit). Django keeps uploads above
# FILE_UPLOAD_MAX_MEMORY_SIZE in a temporary file rather than in memory.
ANJIAN_IMPORT_MAX_BYTES = env_int("ANJIAN_IMPORT_MAX_MB", 50, minimum=1) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# One file of evidence (photos, recordings, videos from the phone); see docs/evidence.md.
ANJIAN_EVIDENCE_MAX_BYTES = env_int("ANJIAN_EVIDENCE_MAX_MB", 20, minimum=1) * 1024 * 1024
# Entities exported in one file from the list page (XLSX cannot hold more than 1,048,575 rows).
ANJIAN_EXPORT_MAX_ROWS = env_int("ANJIAN_EXPORT_MAX_ROWS", 200_000, minimum=1)

# The verifiable audit log (docs/algorithms/audit-log.md): the Merkle tree's hash, the log's
# name (its checkpoints' origin line and its signing key's name), where the signing keys live
# (files outside the database; generated under var/ in development), the witnesses whose
# cosignatures the log accepts, and how often the job runner should call `anjian log checkpoint`.
ANJIAN_LOG_HASH = env_str("ANJIAN_LOG_HASH", "sha256").strip().lower()
if ANJIAN_LOG_HASH not in {"sha256", "sm3"}:
    raise ImproperlyConfigured(f"ANJIAN_LOG_HASH={ANJIAN_LOG_HASH!r}: expected sha256 or sm3")
ANJIAN_LOG_ORIGIN = env_str("ANJIAN_LOG_ORIGIN", f"anjian.local/audit-log/{ANJIAN_LOG_HASH}")
ANJIAN_LOG_KEY_FILE = env_str("ANJIAN_LOG_KEY_FILE", "")
ANJIAN_LOG_SIGNATURE = env_str("ANJIAN_LOG_SIGNATURE", "ed25519").strip().lower()
if ANJIAN_LOG_SIGNATURE not in {"ed25519", "sm2"}:
    raise ImproperlyConfigured(
        f"ANJIAN_LOG_SIGNATURE={ANJIAN_LOG_SIGNATURE!r}: expected ed25519 or sm2"
    )
ANJIAN_LOG_WITNESS_VKEYS = env_list("ANJIAN_LOG_WITNESS_VKEYS", [])
ANJIAN_WITNESS_NAME = env_str("ANJIAN_WITNESS_NAME", "anjian.local/witness")
ANJIAN_WITNESS_KEY_FILE = env_str("ANJIAN_WITNESS_KEY_FILE", "")
ANJIAN_LOG_CHECKPOINT_MINUTES = env_int("ANJIAN_LOG_CHECKPOINT_MINUTES", 10, minimum=1)
# --- Background jobs (docs/decisions/0012-background-jobs.md) --------------------------------
# One Huey queue: `sqlite` (embedded, a file under var/, needs no server: the default outside
# production), `redis` (production: ANJIAN_REDIS_URL), or `immediate` (each job runs in the
# caller's process the moment it is queued: tests; nothing periodic runs then).
ANJIAN_JOBS = env_str("ANJIAN_JOBS", "redis" if PRODUCTION else "sqlite").strip().lower()
ANJIAN_REDIS_URL = env_str("ANJIAN_REDIS_URL", "redis://127.0.0.1:6379/0")
_JOB_CONSUMER = {
    # Threads: the jobs wait on the database, not on the CPU. The consumer looks for work at
    # least every second when idle (Huey's default backs off to ten).
    "workers": env_int("ANJIAN_JOBS_WORKERS", 2, minimum=1),
    "worker_type": "thread",
    "periodic": True,
    "initial_delay": 0.1,
    "max_delay": 1.0,
    "backoff": 1.15,
}
if ANJIAN_JOBS == "sqlite":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    HUEY: dict[str, Any] = {
        "huey_class": "huey.SqliteHuey",
        "name": "anjian",
        "filename": env_str("ANJIAN_JOBS_SQLITE", str(VAR_DIR / "jobs.sqlite3")),
        "immediate": False,
        "utc": False,  # crontab times are Beijing time (TIME_ZONE), as the bureaus read them
        "consumer": _JOB_CONSUMER,
    }
elif ANJIAN_JOBS == "redis":
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "anjian",
        "url": ANJIAN_REDIS_URL,
        "immediate": False,
        "utc": False,
        "consumer": _JOB_CONSUMER,
    }
elif ANJIAN_JOBS == "immediate":
    HUEY = {"huey_class": "huey.MemoryHuey", "name": "anjian", "immediate": True, "utc": False}
else:
    raise ImproperlyConfigured(f"ANJIAN_JOBS={ANJIAN_JOBS!r}: expected sqlite, redis or immediate")
# When the periodic jobs run (hour and minute, Beijing time).
ANJIAN_JOBS_ESCALATE_AT = env_str("ANJIAN_JOBS_ESCALATE_AT", "01:00")
ANJIAN_JOBS_CREDIT_AT = env_str("ANJIAN_JOBS_CREDIT_AT", "02:00")

# --- Credit supervision (docs/credit.md, docs/algorithms/credit.md) ---------------------------
# The scoring: a JSON file whose keys replace the defaults of anjian/credit/scoring.py key by
# key (weights, months a record counts, grade thresholds). Unset: the documented defaults.
ANJIAN_CREDIT_SCORING_FILE = env_str("ANJIAN_CREDIT_SCORING_FILE", "")
# Yearly inspection caps per class and credit grade (N3.2 差异化频次; defaults: Shanxi 2025).
# Hazardous chemicals and metallurgy are capped by their standardisation grade (安全生产标准化
# 等级, a registry field) instead: a class keyed level_1 / level_2 / level_3 / not_rated is
# capped by it. "other": every other industry.
ANJIAN_CREDIT_YEARLY_CAPS: dict[str, dict[str, int]] = {
    "coal_mine": {"A": 2, "B": 4, "C": 6, "D": 4},
    "non_coal_mine": {"A": 1, "B": 1, "C": 2, "D": 4},
    "hazardous_chemicals": {"level_1": 2, "level_2": 4, "level_3": 8, "not_rated": 12},
    "metallurgy": {"level_1": 2, "level_2": 4, "level_3": 8, "not_rated": 12},
    "other": {"A": 1, "B": 2, "C": 4, "D": 6},
}
# Objections (异议) and repair (信用修复) of credit records: working days to decide whether to
# accept a request, then to answer it (common practice; no statute fixes them: settings).
ANJIAN_CREDIT_ACCEPT_WORKDAYS = env_int("ANJIAN_CREDIT_ACCEPT_WORKDAYS", 3, minimum=1)
ANJIAN_CREDIT_ANSWER_WORKDAYS = env_int("ANJIAN_CREDIT_ANSWER_WORKDAYS", 10, minimum=1)
# The serious-dishonesty list (应急管理部令第11号; Shanxi): listed for 3 years, early removal
# may be requested 12 months after listing.
ANJIAN_CREDIT_LISTING_YEARS = env_int("ANJIAN_CREDIT_LISTING_YEARS", 3, minimum=1)
ANJIAN_CREDIT_LISTING_EARLY_MONTHS = env_int("ANJIAN_CREDIT_LISTING_EARLY_MONTHS", 12, minimum=1)

# --- Accident reports (docs/accidents.md; 生产安全事故报告和调查处理条例 arts. 9-13) ---
# The unit reports to the county within this many hours of the accident; each level forwards
# upward within ANJIAN_ACCIDENT_FORWARD_HOURS of receiving it.
ANJIAN_ACCIDENT_REPORT_HOURS = env_int("ANJIAN_ACCIDENT_REPORT_HOURS", 1, minimum=1)
ANJIAN_ACCIDENT_FORWARD_HOURS = env_int("ANJIAN_ACCIDENT_FORWARD_HOURS", 2, minimum=1)
# Changes in casualties are reported as supplements (补报) within these days of the accident
# (art. 13): 30, or 7 for road traffic and fire accidents.
ANJIAN_ACCIDENT_SUPPLEMENT_DAYS = env_int("ANJIAN_ACCIDENT_SUPPLEMENT_DAYS", 30, minimum=1)
ANJIAN_ACCIDENT_SUPPLEMENT_DAYS_SHORT = env_int(
    "ANJIAN_ACCIDENT_SUPPLEMENT_DAYS_SHORT", 7, minimum=1
)
# The weight of the credit record a late enterprise report makes (credit installed only).
ANJIAN_ACCIDENT_LATE_CREDIT_WEIGHT = env_int("ANJIAN_ACCIDENT_LATE_CREDIT_WEIGHT", -10)

# --- Notifications and SMS (docs/notifications.md) ------------------------------------------
# "log": write each message to the log with the number masked (development, tests); "http": the
# provider adapter, posting to ANJIAN_SMS_HTTP_URL with ANJIAN_SMS_HTTP_KEY.
ANJIAN_SMS_BACKEND = env_str("ANJIAN_SMS_BACKEND", "log")
ANJIAN_SMS_HTTP_URL = env_str("ANJIAN_SMS_HTTP_URL", "")
ANJIAN_SMS_HTTP_KEY = env_str("ANJIAN_SMS_HTTP_KEY", "")
# A correction order's deadline is "near" this many days before it (the daily reminder).
ANJIAN_NOTIFY_DEADLINE_DAYS = env_int("ANJIAN_NOTIFY_DEADLINE_DAYS", 3, minimum=1)
ANJIAN_JOBS_NOTIFY_AT = env_str("ANJIAN_JOBS_NOTIFY_AT", "07:30")
