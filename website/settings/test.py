"""Test settings: fast hashing, in-memory mail, a per-run search index file."""

import tempfile

from .base import *

SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SEARCH_INDEX_PATH = Path(tempfile.gettempdir()) / f"tsunagari-test-search-{os.getpid()}.sqlite3"
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"tsunagari-test-media-{os.getpid()}"
IMPORT_UPLOAD_DIR = Path(tempfile.gettempdir()) / f"tsunagari-test-imports-{os.getpid()}"
IMPORT_JOBS_IN_PROCESS = True  # the import screen's runs, inside the test's transaction
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEMO_LOGINS_ENABLED = True
DEMO_PASSWORD = "tsunagari-demo"
# Serve static files from the apps' folders as in development: no collectstatic before tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# The real limits, except where one test legitimately sends many requests from 127.0.0.1 (the
# privacy test sends 150 match requests, the fuzz suite hundreds of API calls). Each test counts
# from zero (tests/conftest.py); the limit tests set their own low rates. REDIS_URL, if set,
# points the `default` cache at Redis as in production (.ci/run does so for the limit tests).
RATE_LIMITS = {**RATE_LIMITS, "match": "600/m", "api": "1200/m", "search": "600/m", "feed": "300/m"}
