"""The project's settings, with the benchmark's URLconf (the floor view ``/bench/hello/``).

Only ROOT_URLCONF changes, so the pages measured run with exactly the settings, middleware
and cache configuration the site runs with.
"""

from friendship_site.settings import *  # noqa: F403 (the project's settings, unchanged)

ROOT_URLCONF = "bench.urls"

# A page that fails under the benchmark must say why: with DEBUG off Django only mails
# request errors to the admins, so send them to stderr too (the gunicorn log of the run).
if "LOGGING" not in globals():
    LOGGING = {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"stderr": {"class": "logging.StreamHandler"}},
        "loggers": {"django.request": {"handlers": ["stderr"], "level": "ERROR"}},
    }
