"""The benchmark databases: created once with generate_synthetic, reused while they hold
what they should.

A database is reused when its comment (written last, after generation and VACUUM ANALYZE)
names the same recipe and it holds the expected number of articles; otherwise it is dropped
and generated again. Only databases whose name starts with ``friendship_bench_`` are ever
dropped.
"""

import time
from dataclasses import dataclass

import psycopg
from psycopg import sql

from bench.common import MEDIA_ROOT, BenchError, django_env, log, manage

PREFIX = "friendship_bench_"
RECIPE_VERSION = 1  # bump when the recipe below changes, so old databases are remade


@dataclass(frozen=True)
class DataSet:
    name: str  # the database's name
    articles: int
    events: int
    seed: int
    # For the export data set: every activity is moved into this year, so that the yearly
    # summary covers all of them.
    year: int | None = None

    @property
    def marker(self):
        recipe = f"articles={self.articles} events={self.events} seed={self.seed}"
        if self.year:
            recipe += f" year={self.year}"
        return f"friendship-bench v{RECIPE_VERSION} {recipe} complete"


def size_label(articles):
    return f"{articles // 1000}k" if articles >= 1000 and articles % 1000 == 0 else str(articles)


def page_data_set(articles, seed):
    # One activity for five articles, as generate_synthetic's defaults (1,000 / 200).
    return DataSet(f"{PREFIX}{size_label(articles)}", articles, articles // 5, seed)


def export_data_set(activities, year, seed):
    return DataSet(f"{PREFIX}export_{size_label(activities)}", 1000, activities, seed, year)


class Postgres:
    def __init__(self, server_url):
        self.server_url = server_url.rstrip("/")

    def url(self, name):
        return f"{self.server_url}/{name}"

    def connect(self, name="postgres"):
        return psycopg.connect(self.url(name), autocommit=True)

    def scalar(self, name, query, params=()):
        with self.connect(name) as connection:
            return connection.execute(query, params).fetchone()[0]

    def comment(self, name):
        """The database's comment, or None when there is no such database."""
        with self.connect() as connection:
            row = connection.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
                (name,),
            ).fetchone()
        return None if row is None else (row[0] or "")

    def create(self, name):
        with self.connect() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))

    def drop(self, name):
        if not name.startswith(PREFIX):  # never anybody else's database
            raise BenchError(f"refusing to drop {name}: not a benchmark database")
        with self.connect() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def set_comment(self, name, text):
        with self.connect() as connection:
            connection.execute(
                sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                    sql.Identifier(name), sql.Literal(text)
                )
            )

    def version(self):
        return self.scalar("postgres", "SHOW server_version")


def _photos_present(postgres, name):
    """The synthetic photos' files exist (they live in MEDIA_ROOT, outside the database)."""
    with postgres.connect(name) as connection:
        names = [row[0] for row in connection.execute("SELECT image FROM articles_photo")]
    return all((MEDIA_ROOT / image).is_file() for image in names)


def prepare(postgres, data_set, force=False):
    """Make sure ``data_set``'s database exists, is migrated and holds its content."""
    name = data_set.name
    env = django_env(postgres.url(name), "dummy://")
    comment = postgres.comment(name)
    if comment is not None and (force or comment != data_set.marker):
        log(f"{name}: {'--regenerate' if force else 'incomplete or another recipe'}; dropping")
        postgres.drop(name)
        comment = None
    if comment is None:
        postgres.create(name)
    # Always: the schema may have changed since the database was made.
    log(f"{name}: migrate")
    manage(env, "migrate", "--noinput", "-v", "0")
    if comment is not None:
        count = postgres.scalar(name, "SELECT count(*) FROM articles_article")
        if count == data_set.articles and _photos_present(postgres, name):
            log(f"{name}: reused ({count:,} articles)")
            return False
        log(f"{name}: holds {count:,} articles or misses photos; generating it again")
        postgres.drop(name)
        postgres.create(name)
        manage(env, "migrate", "--noinput", "-v", "0")
    MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
    log(
        f"{name}: generate_synthetic --articles {data_set.articles} --events {data_set.events}"
        f" --seed {data_set.seed} (100,000 articles take about 4 minutes)"
    )
    started = time.monotonic()
    output = manage(
        env,
        "generate_synthetic",
        f"--articles={data_set.articles}",
        f"--events={data_set.events}",
        f"--seed={data_set.seed}",
        "--force",  # DEBUG is off, as on the measured server; the data is fake on purpose
        capture=True,
    )
    for line in output.splitlines():
        log(f"{name}:   {line}")
    if data_set.year:
        _move_activities_into(postgres, name, data_set.year)
    count = postgres.scalar(name, "SELECT count(*) FROM articles_article")
    if count != data_set.articles:
        raise BenchError(
            f"{name}: generate_synthetic made {count} articles, not {data_set.articles}"
        )
    log(f"{name}: VACUUM ANALYZE")
    with postgres.connect(name) as connection:
        connection.execute("VACUUM ANALYZE")
    postgres.set_comment(name, data_set.marker)
    log(f"{name}: ready in {time.monotonic() - started:.0f} s")
    return True


def _move_activities_into(postgres, name, year):
    """Spread every activity over ``year``, keeping its length, so that the yearly summary
    of that year counts all of them (generate_synthetic spreads them over five years)."""
    with postgres.connect(name) as connection:
        connection.execute(
            """
            UPDATE events_activity SET
                starts_on = make_date(%(year)s, 1, 1) + (id %% 365)::int,
                ends_on = make_date(%(year)s, 1, 1) + (id %% 365)::int + (ends_on - starts_on)
            """,
            {"year": year},
        )
