"""The benchmark: ``make bench`` or ``.venv/bin/python -m bench.run [options]``.

One run, on this machine: prepare the PostgreSQL data sets (1,000 and 100,000 articles by
default), serve the site with gunicorn in each cache mode, load every page with wrk next
to the floor (a "Hello" view through the same server), time the yearly summary exports,
EXPLAIN the public pages' queries, and write the results (Markdown and JSON) to
bench/results/. See bench/README.md.
"""

import argparse
import datetime
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import report
from bench.common import BENCH, ROOT, BenchError, django_env, log, manage, probe
from bench.databases import Postgres, export_data_set, page_data_set, prepare
from bench.machine import describe_machine, redis_command
from bench.server import Server, WrkParams, http_get, wrk

FLOOR_URL = "/bench/hello/"
EXPORT_FORMATS = ["xlsx", "csv", "pdf", "docx"]
EXPORT_LANGUAGES = ["vi", "en", "zh-hans"]
# Sequential requests per page ("alone"): at least ALONE_MIN, more while within the budget.
ALONE_MIN, ALONE_MAX, ALONE_BUDGET_S = 3, 5, 10
# The main public queries: the pages every reader and crawler hits (a page missing from a
# data set, e.g. the articles' sitemap before it existed, is left out).
EXPLAINED_PAGES = [
    "article",
    "category_p1",
    "category_deep",
    "home",
    "search_vi",
    "search_zh-hans",
    "search_zh-hans_words",
    "sitemap",
    "sitemap_articles",
    "feed",
]


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n\n")[1]
    )
    parser.add_argument(
        "--sizes", default="1000,100000", help="article counts (default: %(default)s)"
    )
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk measurement")
    parser.add_argument(
        "--max-load-latency",
        type=float,
        default=1000,
        help="ms: a page slower than this alone is not loaded with wrk (default %(default)s)",
    )
    parser.add_argument("--warmup", type=int, default=1, help="seconds of wrk before each one")
    parser.add_argument("--runs", type=int, default=3, help="measurements of each figure")
    parser.add_argument("--cache-modes", default="redis,dummy", help="(default: %(default)s)")
    parser.add_argument("--seed", type=int, default=1, help="generate_synthetic's --seed")
    parser.add_argument("--export-activities", type=int, default=50_000)
    parser.add_argument(
        "--export-year",
        type=int,
        default=datetime.date.today().year - 1,
        help="the summarised year (default: last year, %(default)s)",
    )
    parser.add_argument("--export-runs", type=int, default=None, help="default: --runs")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-explain", action="store_true")
    parser.add_argument("--skip-editor", action="store_true")
    parser.add_argument(
        "--regenerate", action="store_true", help="drop and generate the databases again"
    )
    parser.add_argument("--postgres-url", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379")
    parser.add_argument(
        "--redis-db", type=int, default=11, help="emptied before each server (%(default)s)"
    )
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="more environment for the server, e.g. CONN_MAX_AGE=60 (repeatable)",
    )
    parser.add_argument(
        "--accept-encoding",
        default="gzip",
        help="the Accept-Encoding every request sends, as browsers do ('' for none)",
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--note", default="", help="a remark printed with the results")
    parser.add_argument("--output-dir", type=Path, default=None)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke test: 1,000 articles, 2 s measurements, 1 run, vi exports of 2,000 "
        "activities; results go to bench/.data/results/",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.duration, args.warmup, args.runs = "1000", 2, 1, 1
        args.export_activities = 2000
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    args.cache_modes = [mode.strip() for mode in args.cache_modes.split(",") if mode.strip()]
    unknown = set(args.cache_modes) - {"redis", "dummy"}
    if unknown:
        parser.error(f"unknown cache mode(s) {', '.join(sorted(unknown))}: redis or dummy")
    if args.export_runs is None:
        args.export_runs = args.runs
    if args.output_dir is None:
        args.output_dir = BENCH / (".data/results" if args.quick else "results")
    args.server_env = dict(item.split("=", 1) for item in args.server_env)
    return args


def check_tools(args, postgres):
    if not shutil.which("wrk"):
        raise BenchError("wrk is missing: apt-get install wrk")
    try:
        postgres.version()
    except Exception as error:
        raise BenchError(f"PostgreSQL does not answer at {args.postgres_url}: {error}") from None
    try:
        redis_command(args.redis_url, "PING")
    except OSError as error:
        raise BenchError(f"Redis does not answer at {args.redis_url}: {error}") from None


def collect_static(static_root, site_settings, env):
    """The settings may need collected static files to render a page (a manifest storage
    looks every {% static %} up in its manifest, whitenoise serves from STATIC_ROOT):
    collect them into a temporary STATIC_ROOT, whatever the settings are today."""
    if not site_settings["staticfiles_installed"]:
        return "django.contrib.staticfiles not installed: nothing collected"
    manage(env, "collectstatic", "--noinput", "-v", "0")
    if Path(site_settings["static_root"]) != static_root:
        raise BenchError(
            f"the settings ignore STATIC_ROOT (they use {site_settings['static_root']}); "
            "bench/common.py must set what they read now"
        )
    files = sum(1 for path in static_root.rglob("*") if path.is_file())
    return f"collectstatic into a temporary STATIC_ROOT: {files} files"


def request_headers(args, site_settings):
    headers = {}
    if args.accept_encoding:
        headers["Accept-Encoding"] = args.accept_encoding
    proxy_header = site_settings["secure_proxy_ssl_header"]
    if site_settings["secure_ssl_redirect"] and proxy_header:
        # Behind the TLS proxy the settings expect: say the request came over HTTPS, or
        # every page is a redirect.
        name, value = proxy_header
        headers[name.removeprefix("HTTP_").replace("_", "-").title()] = value
    return headers


def verify(server, pages, headers, editor):
    """Every URL answers 200 before any load; the editor's session is a logged-in one.

    Returns warnings by page key (a search that finds nothing is measured, and said so).
    """
    warnings = {}
    status, _h, body = http_get(server.base_url + FLOOR_URL, headers)
    if status != 200 or body != "Hello":
        raise BenchError(f"the floor {FLOOR_URL} answered {status}: {body[:200]!r}")
    for page in pages:
        status, _h, body = http_get(server.base_url + page["url"], headers)
        if status != 200:
            raise BenchError(
                f"{page['url']} answered {status} (anonymous); the server's log ends with:\n"
                f"{server.log_tail()}"
            )
        if page["key"].startswith("search") and "<mark" not in body:
            warnings[page["key"]] = "no results"
            log(f"WARNING: {page['url']} finds nothing in this database")
    if editor is None:
        return warnings
    status, _h, _body = http_get(server.base_url + "/admin/", headers)
    if status != 302:
        raise BenchError(f"/admin/ answered {status} to an anonymous request, not 302")
    editor_headers = {**headers, "Cookie": editor["cookie"]}
    status, response_headers, body = http_get(server.base_url + "/admin/", editor_headers)
    if status != 200 or editor["username"] not in body:
        raise BenchError(
            f"the editor's session is not logged in: /admin/ answered {status}"
            f" without {editor['username']!r}"
        )
    for url in [FLOOR_URL, *(page["url"] for page in pages)]:
        status, response_headers, body = http_get(server.base_url + url, editor_headers)
        if status != 200:
            raise BenchError(
                f"{url} answered {status} to the editor; the server's log ends with:\n"
                f"{server.log_tail()}"
            )
        # Sessions slide (SESSION_SAVE_EVERY_REQUEST): the cookie comes back on every page,
        # with the same key. wrk replays one cookie, so a new key would log the editor out.
        sent = f"{editor['cookie_name']}={editor['cookie_value']}"
        cookie = response_headers.get("set-cookie", "")
        if editor["cookie_name"] + "=" in cookie and sent not in cookie:
            raise BenchError(f"{url} replaced the editor's session cookie")
    return warnings


def summarise(runs):
    figures = {}
    for name in ("rps", "p50_ms", "p99_ms"):
        values = [run[name] for run in runs]
        figures[name] = (
            {"median": statistics.median(values), "min": min(values), "max": max(values)}
            if values
            else None
        )
    return figures


def alone(server, target, headers):
    """Sequential requests, one at a time after the verifying one: the page's own time,
    without the queueing that wrk's connections add. At least 3, at most 5, within about
    ALONE_BUDGET_S."""
    samples = []
    started = time.monotonic()
    while len(samples) < ALONE_MAX:
        if len(samples) >= ALONE_MIN and time.monotonic() - started >= ALONE_BUDGET_S:
            break
        before = time.perf_counter()
        status, _h, _body = http_get(server.base_url + target["url"], headers)
        samples.append((time.perf_counter() - before) * 1000)
        if status != 200:
            raise BenchError(
                f"{target['url']} answered {status} ({target['user']}); the server's log"
                f" ends with:\n{server.log_tail()}"
            )
    return samples


def drain(server, headers):
    """Wait until the workers are idle: wrk leaves requests queued when it stops (a slow
    page's backlog can take seconds), which would otherwise weigh on the next figure.
    A request to the floor queues behind them; two in a row make sure."""
    for _ in range(2):
        http_get(server.base_url + FLOOR_URL, headers)


def measure_server(args, server, targets, headers, wrk_params):
    """Each target alone (sequential requests), then under load ``runs`` times, in rounds
    (all targets, then again), so that a burst of other work on the machine spreads over
    every figure instead of hitting one. A page slower alone than --max-load-latency is
    not loaded: wrk's connections would queue behind it for minutes and time out."""
    samples = {}
    for index, target in enumerate(targets):
        target_headers = {**headers, **target.get("headers", {})}
        samples[index] = alone(server, target, target_headers)
        log(
            f"    {target['label']:<44} {target['user']:<9} alone:"
            f" {statistics.median(samples[index]):8.1f} ms"
        )
    runs = {index: [] for index in range(len(targets))}
    loaded = {
        index
        for index in range(len(targets))
        if statistics.median(samples[index]) <= args.max_load_latency
    }
    for round_number in range(1, args.runs + 1):
        log(f"  round {round_number}/{args.runs}")
        for index, target in enumerate(targets):
            if index not in loaded:
                continue
            url = server.base_url + target["url"]
            target_headers = {**headers, **target.get("headers", {})}
            if args.warmup:
                # Fills the page cache (Redis mode), the rendition manifests, the
                # connection and PostgreSQL's buffers, and lets gunicorn's workers settle.
                wrk(url, target_headers, args.warmup, wrk_params)
                drain(server, headers)
            result = wrk(url, target_headers, args.duration, wrk_params).as_dict()
            drain(server, headers)
            runs[index].append(result)
            log(
                f"    {target['label']:<44} {target['user']:<9} {result['rps']:8.1f} req/s"
                f"  p50 {result['p50_ms']:7.2f} ms  p99 {result['p99_ms']:7.2f} ms"
                f"  ({result['requests']} requests)"
            )
    return [
        {
            **{
                key: target[key]
                for key in ("key", "label", "url", "user", "note", "comparable")
                if key in target
            },
            "loaded": index in loaded,
            "alone_ms": {
                "median": statistics.median(samples[index]),
                "min": min(samples[index]),
                "max": max(samples[index]),
                "samples": samples[index],
            },
            "runs": runs[index],
            **summarise(runs[index]),
        }
        for index, target in enumerate(targets)
    ]


def cache_url(args, mode):
    if mode == "redis":
        return f"{args.redis_url.rstrip('/')}/{args.redis_db}"
    return "dummy://"


def bench_size(args, postgres, data_set, static_root, site_settings, headers, wrk_params):
    database_url = postgres.url(data_set.name)
    # Again, just before its servers: the code may have moved on since the run began.
    manage(django_env(database_url, "dummy://", static_root), "migrate", "--noinput", "-v", "0")
    discovered = probe(django_env(database_url, "dummy://", static_root), "discover")
    pages = discovered["pages"]
    for page in pages:
        log(f"  {page['label']}: {page['url']}" + (f" ({page['note']})" if "note" in page else ""))
    measurements = []
    for cache_mode in args.cache_modes:
        env = django_env(database_url, cache_url(args, cache_mode), static_root, args.server_env)
        if cache_mode == "redis":
            probe(env, "flush")  # FLUSHDB of the benchmark's own Redis database
        # The editor bypasses the page cache; measured with the production-like Redis
        # cache only (a cache-backed session store needs a working cache anyway).
        editor = None
        if cache_mode == "redis" and not args.skip_editor:
            session = probe(env, "session")
            editor = {
                **session,
                "cookie": f"{session['cookie_name']}={session['cookie_value']}",
            }
        error_log = Path(tempfile.gettempdir()) / f"bench-gunicorn-{os.getpid()}.log"
        log(f"{data_set.name}: gunicorn, CACHE_URL={env['CACHE_URL']}")
        # The version of the code this server loaded: other people may commit mid-run.
        code = code_version()
        with Server(env, error_log, headers) as server:
            warnings = verify(server, pages, headers, editor)
            targets = [
                {
                    "key": "floor",
                    "label": "floor: Hello view",
                    "url": FLOOR_URL,
                    "user": "anonymous",
                }
            ]
            targets += [{**page, "user": "anonymous"} for page in pages]
            if editor:
                editor_headers = {"Cookie": editor["cookie"]}
                targets.append(
                    {
                        "key": "floor_editor",
                        "label": "Hello view",
                        "url": FLOOR_URL,
                        "user": "editor",
                        "headers": editor_headers,
                    }
                )
                targets += [{**page, "user": "editor", "headers": editor_headers} for page in pages]
            results = measure_server(args, server, targets, headers, wrk_params)
        floor = next(result for result in results if result["key"] == "floor")
        for result in results:
            result["cache"] = cache_mode
            result["code"] = code
            result["floor_percent"] = (
                100 * result["rps"]["median"] / floor["rps"]["median"] if result["rps"] else None
            )
            if result["key"] in warnings:
                result["warning"] = warnings[result["key"]]
        measurements += results
    return {
        "database": data_set.name,
        "articles": data_set.articles,
        "events": data_set.events,
        "live_vi_articles": discovered["live_vi_articles"],
        "pages": pages,
        "measurements": measurements,
    }


def time_exports(args, postgres, data_set, static_root):
    env = django_env(postgres.url(data_set.name), "dummy://", static_root)
    languages = ["vi"] if args.quick else EXPORT_LANGUAGES
    results = []
    activities = None
    for export_format in EXPORT_FORMATS:
        for language in languages:
            runs = []
            for _ in range(args.export_runs):
                # A fresh process each time, as the command runs: the first export in a
                # process also pays for loading its libraries (WeasyPrint, fonts).
                started = time.perf_counter()
                timing = probe(env, "export", str(args.export_year), export_format, language)
                wall = time.perf_counter() - started
                runs.append(
                    {"seconds": timing["seconds"], "wall_seconds": wall, "bytes": timing["bytes"]}
                )
                activities = timing["activities"]
            seconds = [run["seconds"] for run in runs]
            walls = [run["wall_seconds"] for run in runs]
            results.append(
                {
                    "format": export_format,
                    "language": language,
                    "runs": runs,
                    "seconds": {
                        "median": statistics.median(seconds),
                        "min": min(seconds),
                        "max": max(seconds),
                    },
                    "wall_seconds": {
                        "median": statistics.median(walls),
                        "min": min(walls),
                        "max": max(walls),
                    },
                }
            )
            log(
                f"  export {export_format:<4} {language:<7} command"
                f" {statistics.median(seconds):5.2f} s, process {statistics.median(walls):5.2f} s"
            )
    return {
        "database": data_set.name,
        "year": args.export_year,
        "activities": activities,
        "results": results,
    }


def git(*args):
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()


def code_version():
    """The commit, plus a short digest of the working tree's changes when there are any."""
    rev = git("rev-parse", "--short", "HEAD")
    changes = git("diff", "HEAD", "--", ".", ":(exclude)bench")
    if changes:
        rev += "+" + hashlib.sha256(changes.encode()).hexdigest()[:7]
    return rev


def code_fingerprint():
    """The commit and the working tree's changes (bench/ aside): the figures of a run
    belong to one version of the code only if this is the same at its end."""
    outside_bench = [".", ":(exclude)bench"]
    state = "\n".join(
        [
            git("rev-parse", "HEAD"),
            git("status", "--porcelain", "--", *outside_bench),
            git("diff", "HEAD", "--", *outside_bench),
        ]
    )
    return hashlib.sha256(state.encode()).hexdigest()


def main(argv=None):
    args = parse_args(argv)
    started = time.monotonic()
    started_at = datetime.datetime.now().astimezone()
    fingerprint = code_fingerprint()
    rev = git("rev-parse", "--short", "HEAD") or "norev"
    dirty = bool(git("status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)bench"))
    load_before = os.getloadavg()
    postgres = Postgres(args.postgres_url)
    check_tools(args, postgres)
    wrk_params = WrkParams(threads=args.threads, connections=args.connections)
    page_sets = [page_data_set(size, args.seed) for size in args.sizes]
    export_set = export_data_set(args.export_activities, args.export_year, args.seed)

    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    try:
        env = django_env(postgres.url(page_sets[0].name), "dummy://", static_root)
        site_settings = probe(env, "settings")
        # The settings choose the session store from the cache (cached_db with Redis).
        session_engines = {
            mode: probe(
                django_env(postgres.url(page_sets[0].name), cache_url(args, mode), static_root),
                "settings",
            )["session_engine"]
            for mode in args.cache_modes
        }
        static_note = collect_static(static_root, site_settings, env)
        log(static_note)
        headers = request_headers(args, site_settings)

        for data_set in page_sets + ([] if args.skip_export else [export_set]):
            prepare(postgres, data_set, force=args.regenerate)

        sizes = {}
        for data_set in page_sets:
            log(f"{data_set.name}: measuring")
            sizes[str(data_set.articles)] = bench_size(
                args, postgres, data_set, static_root, site_settings, headers, wrk_params
            )

        explain = None
        if not args.skip_explain:
            largest = max(page_sets, key=lambda data_set: data_set.articles)
            log(f"{largest.name}: EXPLAIN the public pages' queries")
            explain = probe_explain(postgres, largest, sizes[str(largest.articles)], static_root)
            explain["database"] = largest.name

        exports = None
        if not args.skip_export:
            log(f"{export_set.name}: timing export_yearly_summary {args.export_year}")
            exports = time_exports(args, postgres, export_set, static_root)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)

    code_changed = code_fingerprint() != fingerprint
    if code_changed:
        log("WARNING: the code changed during the run (a commit or edits outside bench/)")
    meta = {
        "started_at": started_at.isoformat(timespec="seconds"),
        "duration_s": round(time.monotonic() - started),
        "git_rev": rev,
        "git_dirty": dirty,
        "code_changed_during_run": code_changed,
        "machine": describe_machine(postgres, args.redis_url),
        "load_average_before": [round(value, 2) for value in load_before],
        "load_average_after": [round(value, 2) for value in os.getloadavg()],
        "wrk": wrk_params.describe(args.duration),
        "warmup_s": args.warmup,
        "max_load_latency_ms": args.max_load_latency,
        "runs": args.runs,
        "gunicorn": "-w 2 --worker-class sync (bench/server.py)",
        "server_env": args.server_env,
        "request_headers": headers,
        "settings": site_settings,
        "session_engines": session_engines,
        "static_files": static_note,
        "quick": args.quick,
        "note": args.note,
        "command": " ".join(["python -m bench.run", *(argv if argv is not None else sys.argv[1:])]),
    }
    results = {"meta": meta, "sizes": sizes, "explain": explain, "export": exports}
    results["targets"] = report.targets(results)
    markdown = report.markdown(results)
    args.output_dir.mkdir(parents=True, exist_ok=True)
    stem = args.output_dir / f"{started_at:%Y-%m-%d}-{rev}"
    stem.with_suffix(".md").write_text(markdown)
    report.write_json(stem.with_suffix(".json"), results)
    print(markdown)
    log(f"wrote {stem}.md and .json in {meta['duration_s'] // 60} min {meta['duration_s'] % 60} s")
    return 0


def probe_explain(postgres, data_set, size_results, static_root):
    env = django_env(postgres.url(data_set.name), "dummy://", static_root)
    pages = [page for page in size_results["pages"] if page["key"] in EXPLAINED_PAGES]
    return probe(env, "explain", stdin=pages)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        log(f"FAILED: {error}")
        sys.exit(1)
