"""What the harness's modules share: paths, logging, and running Django in a subprocess.

Every Django process of the harness (manage.py commands, probes, gunicorn) gets its whole
configuration from the environment built by :func:`django_env`, as production would.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
# The synthetic photos of the benchmark databases; kept with them (bench/.gitignore).
MEDIA_ROOT = BENCH / ".data" / "media"
PYTHON = sys.executable
# Not a secret: the benchmark databases hold synthetic data only, on this machine.
SECRET_KEY = "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz"

_started = time.monotonic()


def log(message):
    """Progress goes to stderr, so that stdout carries only the results table."""
    elapsed = time.monotonic() - _started
    print(
        f"[bench {elapsed // 60:3.0f}:{elapsed % 60:04.1f}] {message}", file=sys.stderr, flush=True
    )


class BenchError(Exception):
    """A check failed: the harness stops rather than report figures of a broken page."""


def django_env(database_url, cache_url, static_root=None, extra=None):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "MEDIA_ROOT": str(MEDIA_ROOT),
        # "testserver" for the probes that use Django's test Client.
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        # As production runs (hashed, compressed static files from collectstatic; settings
        # that do not know the variable ignore it).
        "STATIC_MANIFEST": "true",
        # Plain HTTP on 127.0.0.1: no TLS proxy in front, so no redirect to https://.
        "HTTPS": "false",
        "PYTHONUNBUFFERED": "1",
    }
    if static_root is not None:
        env["STATIC_ROOT"] = str(static_root)
    env.update(extra or {})
    return env


def run_python(env, args, stdin=None):
    """Run the project's Python with ``args`` in the project folder; the CompletedProcess."""
    return subprocess.run(
        [PYTHON, *args],
        input=stdin,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def manage(env, *args, capture=False):
    """Run ``manage.py *args``; raise BenchError with its output when it fails."""
    result = run_python(env, ["manage.py", *args])
    if result.returncode != 0:
        raise BenchError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            f"{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return result.stdout if capture else None


def probe(env, task, *args, stdin=None):
    """Run ``bench/probe.py task *args`` in Django; return the JSON it prints."""
    result = run_python(
        env, ["-m", "bench.probe", task, *args], None if stdin is None else json.dumps(stdin)
    )
    if result.returncode != 0:
        raise BenchError(f"probe {task} failed ({result.returncode}):\n{result.stderr[-4000:]}")
    return json.loads(result.stdout)
