"""gunicorn settings for the forum's web server (``gunicorn --config deploy/gunicorn.conf.py``).

Behind nginx on the same host: gunicorn listens on loopback only, nginx ends TLS, caches anonymous
public pages and serves static files. Set ``PROXY_COUNT=1`` in the app's settings so it trusts
nginx's X-Forwarded-* headers (and only nginx's). Every value can be overridden from the
environment (the systemd unit's EnvironmentFile), e.g. ``GUNICORN_WORKERS=4``.
"""

import multiprocessing
import os
import sys

wsgi_app = "forum_app:create_app()"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Synchronous workers: requests are short and nothing waits on the mail server (the outbox sends
# after the commit). Two per core plus one is gunicorn's own rule of thumb.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# A worker asked to stop (SIGTERM: systemctl stop/restart, a deploy, max_requests) answers the request it
# is serving, then its background mail attempt finishes the message on the wire (see worker_exit).
# forum-web.service's TimeoutStopSec (40 s) is longer, so gunicorn's own stop always comes first.
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never grows; the jitter keeps them from restarting together.
max_requests = 2000
max_requests_jitter = 200
# The heartbeat file lives in memory, not on a disk that may stall (and /tmp is private under systemd).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Only nginx on this host may set X-Forwarded-For / -Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# Logs to standard output and error: systemd's journal keeps them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Each worker builds the app itself: no database connection made at start-up is ever shared between
# forked processes (building the hashed static files is safe with several workers starting at once).
preload_app = False
proc_name = "forum-web"


def worker_exit(server, worker):  # noqa: ANN001, ARG001 - gunicorn's hook, in the worker, as it ends
    """Ask the worker's background mail attempt (``outbox/sending.py``) to stop after the message on the
    wire: it marks that one sent and gives the rest back for the scheduler, and the worker's process
    waits for it before it ends. Without this it would go on through every message it had claimed, and
    gunicorn kills a worker that is not gone after ``graceful_timeout``, possibly between a message the
    server accepted and its mark: sent again by the next pass."""
    claims = sys.modules.get("forum_app.jobs.claims")  # absent only when the app never loaded: nothing to stop
    if claims is not None:
        claims.STOPPING.set()
