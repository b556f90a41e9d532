"""Gunicorn's configuration for the site (docs/deploy.md):

    gunicorn -c friendship_site/gunicorn.conf.py

Gunicorn reads PORT (binds 0.0.0.0:$PORT, else 127.0.0.1:8000), WEB_CONCURRENCY and
FORWARDED_ALLOW_IPS from the environment itself; command-line options override this file.
"""

import multiprocessing
import os

wsgi_app = "friendship_site.wsgi:application"

# Sync workers, one request at a time each: pages are mostly served from the shared cache,
# the rest waits on the database. Gunicorn's rule of thumb, unless WEB_CONCURRENCY says.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))

# The admin's spreadsheet import of its largest files (20,000 rows) takes about 100 s; the
# default 30 s would kill the worker halfway (the import is all or nothing, so nothing is
# lost, but nothing is imported). The proxy's read timeout must allow as much.
timeout = 120

accesslog = "-"

# Gunicorn 25.1+ opens a control socket at one fixed path per user by default: a second
# master on the same host would take it over, and unlink it when it stops. Pass
# --control-socket PATH (one per master) to use gunicornc.
control_socket_disable = True
