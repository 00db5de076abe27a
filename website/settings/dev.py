"""Development settings: DEBUG on, a fixed insecure key, console e-mail, demo logins allowed."""

from .base import *

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# load_demo creates one editor per member with a documented password; only here.
DEMO_LOGINS_ENABLED = True
DEMO_PASSWORD = "tsunagari-demo"
