"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py website.wsgi`.

Every value can be overridden by an environment variable (README "Configuration"). Why these:
- workers = 2 × CPUs + 1 (gunicorn's advice for sync workers): a request is ~70 ms of CPU, so
  more processes than cores keep the cores busy while one waits for the database or Meilisearch.
- the access log has the path only, never the query string or the referer: what a resident
  types into /search/?q= may be a phone number or a name (docs/privacy.md). `%(U)s` is the path;
  `%(r)s` (request line), `%(q)s` (query) and `%(f)s` (referer) are left out on purpose, and so
  are the client address and the user agent.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "sync"
# A match or search answer takes well under a second; a request still running after 30 s is
# stuck (a lost database connection) and its worker is replaced.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# The load balancer or nginx in front sets X-Forwarded-For / -Proto (TSUNAGARI_TRUSTED_PROXIES).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
# time, method, path (no query string), status, bytes, duration in seconds.
access_log_format = '%(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(L)s'
