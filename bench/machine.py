"""What the figures were measured on: hardware, system and the versions of each piece."""

import os
import platform
import re
import socket
import subprocess
from importlib import metadata
from urllib.parse import urlsplit


def redis_command(url, *words):
    """One Redis command over RESP, with the standard library only; the reply's text."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port or 6379), timeout=5) as sock:
        payload = f"*{len(words)}\r\n" + "".join(
            f"${len(word.encode())}\r\n{word}\r\n" for word in words
        )
        sock.sendall(payload.encode())
        reply = sock.recv(65536)
        if reply.startswith(b"$"):  # a bulk string: read until it is complete
            length = int(reply[1 : reply.index(b"\r\n")])
            while len(reply) < reply.index(b"\r\n") + 2 + length:
                reply += sock.recv(65536)
    if reply.startswith(b"-"):
        raise OSError(reply.decode().strip())
    return reply.decode(errors="replace")


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gib():
    try:
        with open("/proc/meminfo") as meminfo:
            for line in meminfo:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _os_name():
    try:
        with open("/etc/os-release") as release:
            for line in release:
                if line.startswith("PRETTY_NAME="):
                    name = line.split("=", 1)[1].strip().strip('"')
                    return f"{name}, Linux {platform.release()}"
    except OSError:
        pass
    return platform.platform()


def _version(package):
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _wrk_version():
    output = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"wrk (\S+)", output.stdout + output.stderr)
    return match[1] if match else "unknown"


def describe_machine(postgres, redis_url):
    info = redis_command(redis_url, "INFO", "server")
    redis_version = re.search(r"redis_version:(\S+)", info)
    return {
        "cpus": len(os.sched_getaffinity(0)),
        "cpu_model": _cpu_model(),
        "memory_gib": _memory_gib(),
        "os": _os_name(),
        "python": platform.python_version(),
        "postgresql": postgres.version(),
        "redis": redis_version[1] if redis_version else "unknown",
        "django": _version("django"),
        "gunicorn": _version("gunicorn"),
        "psycopg": _version("psycopg"),
        "wrk": _wrk_version(),
    }
