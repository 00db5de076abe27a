"""Settings shared by every environment: safe by default (DEBUG off, secrets from the environment).

Environment variables (see README "Configuration"):
DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, SEARCH_BACKEND, SEARCH_INDEX_PATH, MEILISEARCH_URL,
MEILISEARCH_API_KEY, MEILISEARCH_INDEX, MEILISEARCH_TIMEOUT, MEILISEARCH_RETRY_AFTER, EMAIL_URL-style EMAIL_* variables,
MAP_TILE_URL, MAP_TILE_ATTRIBUTION, GEOCODER, GEOCODER_CACHE_PATH, GEOCODER_USER_AGENT,
GEOCODER_TIMEOUT, TSUNAGARI_VAR_DIR, REDIS_URL, CACHE_KEY_PREFIX, TSUNAGARI_RATE_LIMITS,
TSUNAGARI_TRUSTED_PROXIES, AXES_FAILURE_LIMIT, AXES_COOLOFF_MINUTES, SQLITE_BUSY_TIMEOUT, LOG_FORMAT,
TSUNAGARI_SITE_DOMAIN.
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _

from core.csp import tile_sources

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("TSUNAGARI_VAR_DIR", BASE_DIR / "var"))
FIXTURES_DIR = BASE_DIR / "fixtures"


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated environment variable as a list, ignoring blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "website",
    "directory",
    "search",
    "matching",
    "coordination",
    "exchange",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "leaflet",
    # No django.contrib.admin: django-leaflet's admin module would import GeoDjango (GDAL).
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy and Permissions-Policy on every page (docs/deployment.md).
    "core.csp.SiteCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Japanese for every request, not LocaleMiddleware's Accept-Language (website/middleware.py).
    "website.middleware.SiteLanguage",
    "django.middleware.common.CommonMiddleware",
    "core.outage.DatabaseUnavailableMiddleware",  # database unreachable: a Japanese 503 page
    "website.middleware.ExplainedMethodNotAllowed",  # an empty 405 gets a Japanese message
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Whole public pages for anonymous visitors, by public content version (core/page_cache.py).
    "core.page_cache.AnonymousPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # 404 for admin URLs naming a page the user may not see (directory.membership.access)
    "directory.wagtail_admin.guards.AdminPageAccessMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "website.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "website.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
# SQLite (the default) under concurrent saves: WAL lets readers go on while one writes; every
# transaction takes the write lock at BEGIN (IMMEDIATE), so a second writer waits up to
# SQLITE_BUSY_TIMEOUT seconds in the queue instead of failing with 「database is locked」 when
# its read snapshot could not be upgraded (autosave and publish overlapping).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The `default` cache holds the abuse-limit counters (core/limits.py), so every worker must see
# the same one: Redis when REDIS_URL is set (production requires it), else per-process memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "tsunagari"),
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tsunagari",
        }
    )
}


def rate_limits(defaults: dict[str, str], override: str) -> dict[str, str]:
    """RATE_LIMITS with TSUNAGARI_RATE_LIMITS="api=300/m,search=120/m" applied on top."""
    limits = dict(defaults)
    for item in override.split(","):
        name, _, value = item.partition("=")
        if name.strip() and value.strip():
            limits[name.strip()] = value.strip()
    return limits


# Abuse limits per client address (core/limits.py, docs/deployment.md "Limits"). A rate is
# "<count>/<period>" with s, m, h or d, e.g. "60/m" or "5/15m".
RATE_LIMITS = rate_limits(
    {
        "form": "10/h",  # POST /join/, POST 誤り報告 (/listings/<uuid>/report/)
        "match": "60/m",  # POST /match/, /match/print/, /api/v1/match
        "api": "120/m",  # /api/v1/resources, /api/v1/members, /api/hsds/*
        "search": "60/m",  # /search/
        "feed": "30/m",  # iCal: /listings/<uuid>.ics, /feeds/…
        "password_reset_ip": "5/h",  # /admin/password_reset/ from one address
        "password_reset_address": "3/h",  # mails to one e-mail address
    },
    os.environ.get("TSUNAGARI_RATE_LIMITS", ""),
)
# Reverse proxies in front of the app (nginx: 1); client addresses come from X-Forwarded-For.
TRUSTED_PROXY_COUNT = int(os.environ.get("TSUNAGARI_TRUSTED_PROXIES", "0"))

# Admin login lockout (django-axes): 5 wrong passwords for one user name from one address lock
# that pair for 30 minutes; `manage.py axes_reset_username <name>` unlocks (docs/deployment.md).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # keep failed attempts only, not a log of every sign-in
AXES_CLIENT_IP_CALLABLE = "core.limits.lockout_ip"
AXES_LOCKOUT_CALLABLE = "website.auth.lockout_response"
WAGTAILADMIN_USER_PASSWORD_RESET_FORM = "website.auth.LimitedPasswordResetForm"  # noqa: S105
WAGTAILADMIN_USER_LOGIN_FORM = "website.auth.JapaneseLoginForm"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Every public path whose GET parameters may carry what a resident typed (words, a place):
# production logging strips their query strings (core.logging.StripQueryStrings).
QUERYLESS_LOG_PATHS = [
    "/search/",
    "/search/map/",
    "/events/",
    "/partners/",
    "/api/v1/resources",
    "/api/v1/members",
]

LANGUAGE_CODE = "ja"
# The language switch's cookie (website.views.choose_language): a preference kept a year.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static_collected"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Files uploaded on the 事務局's import screen, until imported or a day old (exchange.upload_jobs);
# not under MEDIA_ROOT, which is served. Runs go to a `manage.py run_import_job` process.
IMPORT_UPLOAD_DIR = Path(os.environ.get("IMPORT_UPLOAD_DIR", VAR_DIR / "imports"))
IMPORT_JOBS_IN_PROCESS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# E-mail: organisational notices only (membership decisions). Console in development.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "tsunagari@localhost")

# Logging never carries request bodies (the PF rule): only our own messages and Django's errors.
# LOG_FORMAT=json writes one JSON object a line for log collectors (core/jsonlog.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "core.jsonlog.JsonLinesFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "tsunagari": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Wagtail
WAGTAIL_SITE_NAME = "つながり"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Stable identity of the site (iCal UIDs): never the request's Host header.
TSUNAGARI_SITE_DOMAIN = os.environ.get("TSUNAGARI_SITE_DOMAIN") or (
    urlsplit(WAGTAILADMIN_BASE_URL).hostname or "localhost"
)
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILADMIN_PERMITTED_LANGUAGES = [("ja", "日本語"), ("en", "English")]
WAGTAIL_USER_TIME_ZONES = ["Asia/Tokyo"]
# The account e-mail is edited in directory.wagtail_admin.account, which checks it.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False

# Public search (see search/ and README "Search").
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "embedded")
SEARCH_INDEX_PATH = Path(os.environ.get("SEARCH_INDEX_PATH", VAR_DIR / "search.sqlite3"))
MEILISEARCH_URL = os.environ.get("MEILISEARCH_URL", "")
MEILISEARCH_API_KEY = os.environ.get("MEILISEARCH_API_KEY", "")
MEILISEARCH_INDEX = os.environ.get("MEILISEARCH_INDEX", "listings")
MEILISEARCH_TIMEOUT = float(os.environ.get("MEILISEARCH_TIMEOUT", "2.0"))
# After a failed search, residents are answered by the embedded index for this many seconds.
MEILISEARCH_RETRY_AFTER = float(os.environ.get("MEILISEARCH_RETRY_AFTER", "30"))

# Maps: 地理院タイル by default, no CDN (django-leaflet ships Leaflet as static files).
MAP_TILE_URL = os.environ.get(
    "MAP_TILE_URL", "https://cyberjapandata.gsi.go.jp/xyz/pale/{z}/{x}/{y}.png"
)
MAP_TILE_ATTRIBUTION = os.environ.get(
    "MAP_TILE_ATTRIBUTION",
    '<a href="https://maps.gsi.go.jp/development/ichiran.html">地理院タイル</a>',
)
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (35.68, 139.76),
    "DEFAULT_ZOOM": 13,
    "MIN_ZOOM": 5,
    "MAX_ZOOM": 18,
    "TILES": [("地理院タイル 淡色地図", MAP_TILE_URL, {"attribution": MAP_TILE_ATTRIBUTION})],
    "RESET_VIEW": False,
}

# Geocoding runs only in `manage.py geocode_missing`, never in a request or save().
GEOCODER = os.environ.get("GEOCODER", "nominatim")  # any geopy service name
GEOCODER_CACHE_PATH = Path(os.environ.get("GEOCODER_CACHE_PATH", VAR_DIR / "geocode-cache.json"))
GEOCODER_USER_AGENT = os.environ.get("GEOCODER_USER_AGENT", "tsunagari-geocoder")
GEOCODER_TIMEOUT = float(os.environ.get("GEOCODER_TIMEOUT", "5"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp; core/csp.py). Public pages: our own scripts and styles
# only, no inline code or eval; images from us and the map tile host of MAP_TILE_URL, plus any
# host listed in CSP_EXTRA_IMG_SOURCES (comma-separated, e.g. a second tile server).
MAP_IMG_SOURCES = tile_sources(MAP_TILE_URL) + env_list("CSP_EXTRA_IMG_SOURCES")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *MAP_IMG_SOURCES],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
# The Wagtail admin (8.0) still writes inline <script> (InlinePanel, date widgets) and style=
# attributes, and frames its own preview: inline code is allowed there, eval and plugins are not.
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", *MAP_IMG_SOURCES],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
    }
}
# No avatars from gravatar.com: no third-party image (and no hash of an editor's e-mail) in the
# admin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Browser features: only geolocation, and only for our own pages; everything else off.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "geolocation": ["self"],
    **{
        feature: []
        for feature in (
            "camera",
            "microphone",
            "payment",
            "usb",
            "serial",
            "hid",
            "bluetooth",
            "midi",
            "display-capture",
            "accelerometer",
            "gyroscope",
            "magnetometer",
            "interest-cohort",
            "browsing-topics",
        )
    },
}
