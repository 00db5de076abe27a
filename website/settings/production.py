"""Production settings: HTTPS everywhere; refuses to start without a real SECRET_KEY."""

from django.core.exceptions import ImproperlyConfigured

from .base import *

if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of 50+ characters.")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names.")
# Editor invitations and admin notifications link here; the development default would send
# people to 127.0.0.1.
if not os.environ.get("WAGTAILADMIN_BASE_URL", "").startswith("https://"):
    raise ImproperlyConfigured("WAGTAILADMIN_BASE_URL must be the site's https:// address.")
# The abuse limits count in the `default` cache; per-process memory would give each gunicorn
# worker its own count. Only a site run as one single process may opt out, explicitly.
if not REDIS_URL and os.environ.get("TSUNAGARI_SINGLE_PROCESS") != "1":
    raise ImproperlyConfigured(
        "REDIS_URL must point at Redis (e.g. redis://127.0.0.1:6379/0), or set "
        "TSUNAGARI_SINGLE_PROCESS=1 when the site runs as one single process."
    )

DEMO_LOGINS_ENABLED = False
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Search words may be personal (a typed phone number): the query strings of QUERYLESS_LOG_PATHS
# (base.py) never reach a log line of Django's. gunicorn's access log is set by its
# --access-logformat, which leaves out the query string (docs/deployment.md).
LOGGING = {
    **LOGGING,
    "filters": {
        "no_search_words": {"()": "core.logging.StripQueryStrings", "paths": QUERYLESS_LOG_PATHS}
    },
    "handlers": {
        name: {**handler, "filters": ["no_search_words"]}
        for name, handler in LOGGING["handlers"].items()
    },
    "loggers": {
        **LOGGING["loggers"],
        "django.request": {"filters": ["no_search_words"]},
        "django.server": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            "filters": ["no_search_words"],
        },
    },
}
