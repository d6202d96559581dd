"""gunicorn settings: `gunicorn -c gunicorn.conf.py wsgi:app` (each can be changed by the
environment variable named beside it)."""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# Threads let a worker keep serving pages while one request waits on PortOne.
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Longer than the worst gateway wait: a token and a payment fetch, each up to PORTONE_TIMEOUT
# (3.05 s to connect + 10 s to read), then a refund's cancel and its re-fetch.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Each worker creates the app itself, so each runs its own notice sender thread (shop.mailer);
# with preload_app the thread would live only in the master process.
preload_app = False
accesslog = "-"
errorlog = "-"
# No query strings and no cookies in the access log: the path, status, size and time.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms "%(a)s"'
