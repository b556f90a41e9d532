"""The results as Markdown (printed and written next to the raw JSON), and the targets."""

import argparse
import json
import re
from pathlib import Path

SLOWDOWN_LIMIT = 1.5
SEARCH_P50_LIMIT_MS = 50
ARTICLE_UNCACHED_FLOOR_PERCENT = 15
ARTICLE_UNCACHED_P99_LIMIT_MS = 100
ARTICLE_CACHED_FLOOR_PERCENT = 90
EXPORT_LIMIT_S = 5
# Fewer requests than this in a measurement make its p99 a guess: flagged.
FEW_REQUESTS = 50


def write_json(path, results):
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1) + "\n")


def size_name(articles):
    return f"{articles // 1000}k" if articles >= 1000 else str(articles)


def rps(value):
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def ms(value):
    return f"{value:.0f} ms" if value >= 100 else f"{value:.1f} ms"


def ratio(value):
    return f"{value:.2f}×"


def _row(size, key, user, cache):
    for row in size["measurements"]:
        if row["key"] == key and row["user"] == user and row["cache"] == cache:
            return row
    return None


def _sizes(results):
    sizes = sorted(results["sizes"].values(), key=lambda size: size["articles"])
    return sizes[0] if sizes else None, sizes[-1] if sizes else None


def _verdict(passed):
    return "PASS" if passed else "FAIL"


def growth_rows(results):
    """Each page's figures at the largest size against the smallest. The slowdown compares
    req/s under load, or the time alone when a page was too slow to load at either size."""
    small, big = _sizes(results)
    if small is None or small is big:
        return []
    rows = []
    for row in big["measurements"]:
        before = _row(small, row["key"], row["user"], row["cache"])
        if before is None:
            continue
        loaded = row["rps"] is not None and before["rps"] is not None
        rows.append(
            {
                "label": row["label"],
                "key": row["key"],
                "user": row["user"],
                "cache": row["cache"],
                "loaded": loaded,
                "rps_small": before["rps"]["median"] if before["rps"] else None,
                "rps_big": row["rps"]["median"] if row["rps"] else None,
                "alone_small": before["alone_ms"]["median"],
                "alone_big": row["alone_ms"]["median"],
                # How many times fewer requests a second the big data set serves (or how
                # many times longer one request takes alone).
                "slowdown": before["rps"]["median"] / row["rps"]["median"]
                if loaded
                else row["alone_ms"]["median"] / before["alone_ms"]["median"],
                "p50": row["p50_ms"]["median"] / before["p50_ms"]["median"] if loaded else None,
                "p99": row["p99_ms"]["median"] / before["p99_ms"]["median"] if loaded else None,
                "comparable": row.get("comparable", True) and before.get("comparable", True),
                "small_label": before["label"],
                "same_code": row.get("code") == before.get("code"),
            }
        )
    return rows


def _p50(row):
    """(p50 under load, or the median alone when the page was too slow to load, how)."""
    if row["p50_ms"]:
        return row["p50_ms"]["median"], ""
    return row["alone_ms"]["median"], "alone, too slow to load"


def targets(results):
    """The team's targets, each PASS, FAIL or not measured, with the figures behind it."""
    small, big = _sizes(results)
    found = []

    def add(name, passed, detail):
        found.append(
            {
                "target": name,
                "verdict": "not measured" if passed is None else _verdict(passed),
                "detail": detail,
            }
        )

    name = (
        f"article page, dummy cache, at {size_name(big['articles']) if big else '100k'}: "
        f"≥ {ARTICLE_UNCACHED_FLOOR_PERCENT} % of floor "
        f"and p99 < {ARTICLE_UNCACHED_P99_LIMIT_MS} ms"
    )
    row = big and _row(big, "article", "anonymous", "dummy")
    if row and row["rps"]:
        add(
            name,
            row["floor_percent"] >= ARTICLE_UNCACHED_FLOOR_PERCENT
            and row["p99_ms"]["median"] < ARTICLE_UNCACHED_P99_LIMIT_MS,
            f"{row['floor_percent']:.1f} % of floor, p99 {ms(row['p99_ms']['median'])}",
        )
    elif row:
        add(name, False, f"too slow to load: {ms(row['alone_ms']['median'])} alone")
    else:
        add(name, None, "")

    name = f"cached anonymous article page ≥ {ARTICLE_CACHED_FLOOR_PERCENT} % of floor"
    details, passes = [], []
    for size in sorted(results["sizes"].values(), key=lambda size: size["articles"]):
        row = _row(size, "article", "anonymous", "redis")
        if row and row["rps"]:
            passes.append(row["floor_percent"] >= ARTICLE_CACHED_FLOOR_PERCENT)
            details.append(f"{size_name(size['articles'])}: {row['floor_percent']:.1f} %")
    add(name, all(passes) if passes else None, ", ".join(details))

    name = f"no page slows more than {SLOWDOWN_LIMIT}× from 1k to 100k (req/s)"
    rows = [row for row in growth_rows(results) if not row["key"].startswith("floor")]
    if rows:
        worst = max(rows, key=lambda row: row["slowdown"])
        offenders = [
            f"{row['label']} ({row['user']}, {row['cache']}) {ratio(row['slowdown'])}"
            for row in rows
            if row["slowdown"] > SLOWDOWN_LIMIT
        ]
        add(
            name,
            not offenders,
            ("over the limit: " + "; ".join(offenders))
            if offenders
            else f"worst: {worst['label']} ({worst['user']}, {worst['cache']}) "
            f"{ratio(worst['slowdown'])}",
        )
    else:
        add(name, None, "needs two sizes")

    name = (
        f"search p50 < {SEARCH_P50_LIMIT_MS} ms at {size_name(big['articles']) if big else '100k'}"
        " (vi and zh-hans, anonymous)"
    )
    rows = [
        row
        for row in (big["measurements"] if big else [])
        if row["key"].startswith("search") and row["user"] == "anonymous"
    ]
    details = []
    for row in rows:
        value, how = _p50(row)
        notes = ", ".join(note for note in (how, row.get("warning", "")) if note)
        details.append(
            f"{row['label']} {row['cache']}: {ms(value)}" + (f" ({notes})" if notes else "")
        )
    add(
        name,
        all(_p50(row)[0] < SEARCH_P50_LIMIT_MS for row in rows) if rows else None,
        "; ".join(details),
    )

    exports = results.get("export")
    name = f"yearly summary export < {EXPORT_LIMIT_S} s (each format and language)"
    if exports:
        slowest = max(exports["results"], key=lambda row: row["seconds"]["median"])
        add(
            f"{name}, {exports['activities']:,} activities",
            all(row["seconds"]["median"] < EXPORT_LIMIT_S for row in exports["results"]),
            f"slowest: {slowest['format']} {slowest['language']} "
            f"{slowest['seconds']['median']:.2f} s (command; "
            f"{slowest['wall_seconds']['median']:.2f} s with process start)",
        )
    else:
        add(name, None, "")
    return found


def shorten_sql(text, limit=420):
    """The SQL on one line, unquoted, its top-level column list elided, cut at ``limit``
    (the JSON keeps it whole)."""
    text = re.sub(r"\s+", " ", text).strip().replace('"', "")
    text = text.replace("LEFT OUTER JOIN", "LEFT JOIN").replace("INNER JOIN", "JOIN")
    depth = 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and text.startswith(" FROM ", index):
            if text.startswith("SELECT "):
                prefix = "SELECT DISTINCT" if text.startswith("SELECT DISTINCT ") else "SELECT"
                text = f"{prefix} …{text[index:]}"
            break
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _machine(meta):
    machine = meta["machine"]
    settings = meta["settings"]
    lines = [
        f"- **Machine**: {machine['cpus']} CPUs ({machine['cpu_model']}), "
        f"{machine['memory_gib']} GiB RAM, {machine['os']}",
        f"- **Software**: Python {machine['python']}, Django {machine['django']}, "
        f"gunicorn {machine['gunicorn']}, psycopg {machine['psycopg']}, "
        f"PostgreSQL {machine['postgresql']}, Redis {machine['redis']}, wrk {machine['wrk']}",
        f"- **Server**: gunicorn {meta['gunicorn']}, on 127.0.0.1 with wrk on the same "
        f"machine; DEBUG off; sessions {meta['session_engines']}; "
        f"CONN_MAX_AGE {settings['conn_max_age']}; static files: {meta['static_files']}"
        + (f"; extra environment {meta['server_env']}" if meta["server_env"] else ""),
        f"- **Load**: `{meta['wrk']}`, after {meta['warmup_s']} s of warm-up per URL; "
        f"median of {meta['runs']} run(s), taken in rounds; request headers "
        f"{meta['request_headers'] or 'none'}. *alone*: median of 3–5 sequential requests "
        f"(no concurrency); a page slower than {meta['max_load_latency_ms']:.0f} ms alone is "
        "not loaded",
        f"- **Code**: {meta['git_rev']}"
        + (" with uncommitted changes in the working tree" if meta["git_dirty"] else "")
        + (
            "; ⚠ the code changed during the run (a commit or edits): figures may mix versions"
            if meta.get("code_changed_during_run")
            else ""
        ),
        f"- **Run**: {meta['started_at']}, {meta['duration_s'] // 60} min "
        f"{meta['duration_s'] % 60} s; load average before {meta['load_average_before']}, "
        f"after {meta['load_average_after']}",
    ]
    if meta["note"]:
        lines.append(f"- **Note**: {meta['note']}")
    return lines


def _size_section(size):
    lines = [
        f"## {size['articles']:,} articles ({size['events']:,} activities; database "
        f"`{size['database']}`, {size['live_vi_articles']:,} live in Vietnamese)",
        "",
        "Pages: "
        + "; ".join(
            f"{page['label']} `{page['url']}`" + (f" ({page['note']})" if page.get("note") else "")
            for page in size["pages"]
        ),
        "",
        "Code loaded by the servers: "
        + ", ".join(
            f"{cache} cache: `{code}`"
            for cache, code in dict.fromkeys(
                (row["cache"], row.get("code", "?")) for row in size["measurements"]
            )
        ),
        "",
        "| page | user | cache | req/s | % of floor | p50 | p99 | alone |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    order = {"redis": 0, "dummy": 1}
    rows = sorted(
        size["measurements"], key=lambda row: (row["user"] != "anonymous", order[row["cache"]])
    )
    for row in rows:
        errors = sum(sum(run["errors"].values()) for run in row["runs"])
        flag = f" ⚠ {errors} errors" if errors else ""
        if row.get("warning"):
            flag += f" ⚠ {row['warning']}"
        alone = ms(row["alone_ms"]["median"])
        if not row["rps"]:
            lines.append(
                f"| {row['label']}{flag} ⚠ too slow to load | {row['user']} | {row['cache']}"
                f" | — | — | — | — | {alone} |"
            )
            continue
        if min(run["requests"] for run in row["runs"]) < FEW_REQUESTS:
            flag += " ⚠ few requests"
        lines.append(
            f"| {row['label']}{flag} | {row['user']} | {row['cache']} | {rps(row['rps']['median'])}"
            f" | {row['floor_percent']:.1f} % | {ms(row['p50_ms']['median'])}"
            f" | {ms(row['p99_ms']['median'])} | {alone} |"
        )
    return lines


def _growth_section(results):
    rows = growth_rows(results)
    if not rows:
        return []
    small, big = _sizes(results)
    a, b = size_name(small["articles"]), size_name(big["articles"])
    lines = [
        f"## Growth from {a} to {b} articles",
        "",
        f"Slowdown = req/s at {a} ÷ req/s at {b} (for a page too slow to load: its time "
        f"alone at {b} ÷ at {a}); p50 and p99 = latency under load at {b} ÷ at {a}. "
        f"Target: slowdown ≤ {SLOWDOWN_LIMIT}×.",
        "",
        f"| page | user | cache | req/s {a} | req/s {b} | slowdown | p50 × | p99 × | ≤ 1.5× |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        label = row["label"]
        if not row["comparable"]:
            label += f" (at {a}: {row['small_label']})"
        if not row["same_code"]:
            label += " ⚠ other code at each size"
        verdict = (
            "—" if row["key"].startswith("floor") else _verdict(row["slowdown"] <= SLOWDOWN_LIMIT)
        )
        if row["loaded"]:
            figures = (
                f"{rps(row['rps_small'])} | {rps(row['rps_big'])} | {ratio(row['slowdown'])}"
                f" | {ratio(row['p50'])} | {ratio(row['p99'])}"
            )
        else:
            figures = (
                f"{rps(row['rps_small']) if row['rps_small'] else '—'} | — | "
                f"{ratio(row['slowdown'])} (alone: {ms(row['alone_small'])} → "
                f"{ms(row['alone_big'])}) | — | —"
            )
        lines.append(f"| {label} | {row['user']} | {row['cache']} | {figures} | {verdict} |")
    return lines


def _export_section(exports):
    if not exports:
        return []
    lines = [
        f"## Yearly summary exports ({exports['activities']:,} activities in "
        f"{exports['year']}, database `{exports['database']}`)",
        "",
        "`export_yearly_summary` in a fresh process each time; *command* is the command "
        "itself (call_command), *process* adds starting Python and Django.",
        "",
        "| format | language | command (median) | min – max | process (median) | file |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for row in exports["results"]:
        seconds = row["seconds"]
        lines.append(
            f"| {row['format']} | {row['language']} | {seconds['median']:.2f} s"
            f" | {seconds['min']:.2f} – {seconds['max']:.2f} s"
            f" | {row['wall_seconds']['median']:.2f} s"
            f" | {row['runs'][0]['bytes'] / 1024:,.0f} KiB |"
        )
    return lines


def _explain_section(explain):
    if not explain:
        return []
    lines = [
        f"## Query plans at `{explain['database']}`",
        "",
        "Each page requested once by an anonymous reader without cache (Django's test Client, "
        "queries captured), each SELECT run through `EXPLAIN (ANALYZE, FORMAT JSON)`. An "
        f"offender reads a table of ≥ {explain['large_table_rows']:,} rows with a Seq Scan.",
        "",
        "| page | queries | SQL time | Seq Scans on large tables |",
        "|---|---:|---:|---|",
    ]
    offenders = []
    for page in explain["pages"]:
        scans = [query for query in page["queries"] if query["seq_scans"]]
        total = sum(query["ms"] for query in page["queries"])
        tables = sorted({scan["table"] for query in scans for scan in query["seq_scans"]})
        lines.append(
            f"| {page['key']} `{page['url']}` | {len(page['queries'])} | {ms(total)}"
            f" | {len(scans)} quer{'y' if len(scans) == 1 else 'ies'}"
            + (f": {', '.join(tables)}" if tables else "")
            + " |"
        )
        offenders += [(page, query) for query in scans]
    lines.append("")
    if offenders:
        lines.append("Offenders:")
        lines.append("")
        for page, query in offenders:
            tables = ", ".join(
                f"{scan['table']} ({scan['rows']:,} rows)" for scan in query["seq_scans"]
            )
            lines.append(
                f"- **{page['key']}**, Seq Scan on {tables}, {ms(query['ms'])}: "
                f"`{shorten_sql(query['sql'])}`"
            )
    else:
        lines.append("No query of these pages reads a large table with a Seq Scan.")
    return lines


def markdown(results):
    meta = results["meta"]
    title = f"# Benchmark {meta['started_at'][:10]} at {meta['git_rev']}"
    if meta["quick"]:
        title += " (--quick smoke test: figures not representative)"
    lines = [
        title,
        "",
        *_machine(meta),
        "",
        "## Targets",
        "",
        "| target | verdict | figures |",
        "|---|---|---|",
    ]
    lines += [f"| {t['target']} | {t['verdict']} | {t['detail']} |" for t in results["targets"]]
    for size in sorted(results["sizes"].values(), key=lambda size: size["articles"]):
        lines += ["", *_size_section(size)]
    for section in (
        _growth_section(results),
        _export_section(results.get("export")),
        _explain_section(results.get("explain")),
    ):
        if section:
            lines += ["", *section]
    return "\n".join(lines) + "\n"


def main(argv=None):
    """Render a results JSON as Markdown again (after a change here, or to add a note)."""
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=main.__doc__)
    parser.add_argument("json", type=Path)
    parser.add_argument("--note", help="replace the run's note (e.g. what else was running)")
    args = parser.parse_args(argv)
    results = json.loads(args.json.read_text())
    if args.note is not None:
        results["meta"]["note"] = args.note
        write_json(args.json, results)
    results["targets"] = targets(results)
    args.json.with_suffix(".md").write_text(markdown(results))


if __name__ == "__main__":
    main()
