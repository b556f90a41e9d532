"""The measured server (gunicorn) and the load generator (wrk)."""

import gzip
import http.client
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field

from bench.common import BENCH, PYTHON, ROOT, BenchError, log

WORKERS = 2
# Long enough for the slowest page under load (the sitemap at 100k articles): a worker
# killed mid-request would show as an error, not as a slow page.
WORKER_TIMEOUT = 120


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(port, error_log):
    return [
        PYTHON,
        "-m",
        "gunicorn",
        "--config",
        str(BENCH / "gunicorn.conf.py"),
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--timeout",
        str(WORKER_TIMEOUT),
        "--error-logfile",
        str(error_log),
        # Gunicorn opens a control socket at one path per user by default: another master
        # on this machine (a colleague's server) would lose its socket to ours.
        "--no-control-socket",
        "friendship_site.wsgi:application",
    ]


class Server:
    """gunicorn serving the site (bench.settings) on a free port, for a ``with`` block."""

    def __init__(self, env, error_log, headers=None):
        self.env = env
        self.error_log = error_log
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.headers = headers or {}
        self.process = None

    def __enter__(self):
        self.error_log.write_text("")
        # The workers' stderr (Django's request errors, see bench/settings.py) goes to the
        # same file as gunicorn's own log.
        self._stderr = self.error_log.open("a")
        self.process = subprocess.Popen(
            gunicorn_command(self.port, self.error_log),
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self._stderr,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited at start:\n{self.log_tail()}")
            try:
                status, _headers, _body = http_get(self.base_url + "/healthz", self.headers)
                if status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.25)
        self.stop()
        raise BenchError(f"/healthz did not answer 200 within 60 s:\n{self.log_tail()}")

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful shutdown
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process:
            self._stderr.close()

    def log_tail(self, characters=4000):
        try:
            return self.error_log.read_text(errors="replace")[-characters:]
        except OSError:
            return "(no gunicorn log)"


def http_get(url, headers=None):
    """One GET without following redirects: (status, headers, decoded body)."""
    match = re.fullmatch(r"http://([^/:]+):(\d+)(/.*)", url)
    host, port, path = match[1], int(match[2]), match[3]
    connection = http.client.HTTPConnection(host, port, timeout=120)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        body = response.read()
        response_headers = {name.lower(): value for name, value in response.getheaders()}
    finally:
        connection.close()
    if response_headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return response.status, response_headers, body.decode("utf-8", errors="replace")


# wrk


@dataclass
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: dict = field(default_factory=dict)  # non-2xx/3xx responses and socket errors

    def as_dict(self):
        return {
            "rps": self.requests_per_second,
            "p50_ms": self.p50_ms,
            "p99_ms": self.p99_ms,
            "requests": self.requests,
            "errors": self.errors,
        }


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _duration_ms(text):
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if not match:
        raise BenchError(f"cannot read wrk's latency {text!r}")
    return float(match[1]) * _UNITS_MS[match[2]]


def parse_wrk(output):
    """Requests/s, p50 and p99 (from --latency's distribution) and errors of wrk's report."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    if not (rps and p50 and p99 and total):
        raise BenchError(f"cannot read wrk's report:\n{output}")
    errors = {}
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        for name, value in zip(
            ("connect", "read", "write", "timeout"), socket_errors.groups(), strict=True
        ):
            if int(value):
                errors[name] = int(value)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non_2xx:
        errors["non_2xx_3xx"] = int(non_2xx[1])
    return WrkResult(
        float(rps[1]), _duration_ms(p50[1]), _duration_ms(p99[1]), int(total[1]), errors
    )


@dataclass(frozen=True)
class WrkParams:
    threads: int = 2
    connections: int = 16
    timeout: str = "30s"

    def describe(self, duration):
        return (
            f"wrk -t{self.threads} -c{self.connections} -d{duration}s --latency"
            f" --timeout {self.timeout}"
        )


def wrk(url, headers, duration, params):
    command = [
        "wrk",
        f"-t{params.threads}",
        f"-c{params.connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        params.timeout,
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    result = subprocess.run(
        [*command, url], capture_output=True, text=True, check=False, timeout=duration + 120
    )
    if result.returncode != 0:
        raise BenchError(f"wrk failed ({result.returncode}): {result.stderr}{result.stdout}")
    parsed = parse_wrk(result.stdout)
    if parsed.errors:
        log(f"  errors under load at {url}: {parsed.errors}")
    return parsed
