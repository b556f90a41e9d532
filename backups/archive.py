"""Backups of the whole site in one file, and their restore.

A backup is one ``.tar.gz`` holding:

``database.dump``
    PostgreSQL: ``pg_dump --format=custom`` of the site's database.
``database.sqlite3``
    SQLite: a copy made with sqlite3's backup API (a file copy could miss what is still in
    the write-ahead log, or catch a page half written).
``media/<name>``
    every file under MEDIA_ROOT, when uploads are on disk (with ``MEDIA_STORAGE=s3`` they
    are the bucket's to keep: versioning or replication).
``manifest.json``
    written last: the format version, when and from which database vendor it was made, the
    migrations applied, the rows of every model's table and each media file's size and
    SHA-256. The counts are taken from the very snapshot that is dumped, so a restore can
    check that it got back exactly what was saved.

A restore checks everything it can before it touches the site (safe member names, no
links or devices, the manifest, the vendor, known migrations, every media checksum and the
rows in the archived database); only then does it replace the database (PostgreSQL in a
single transaction), count the rows again, copy the media back and empty the caches.
"""

import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import FileSystemStorage, storages
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA_DIR = "media"
DATABASE_MEMBERS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024
# pg_restore --data-only prints each table's rows between "COPY <table> (...) FROM stdin;"
# and a line "\."; one line per row (newlines inside values are escaped as \n).
COPY_RE = re.compile(rb'^COPY (?:(?:"[^"]+"|[^\s."]+)\.)?(?:"([^"]+)"|([^\s("]+)) ')
COPY_END = b"\\.\n"


class BackupError(Exception):
    """A backup or a restore that was refused or failed; the message says why."""


@dataclass
class MediaFile:
    name: str  # relative to MEDIA_ROOT, with "/" separators
    path: Path
    size: int = 0
    sha256: str = ""


# Backup


def create_backup(destination):
    """Write a backup of the database and the media files; return (path, manifest).

    ``destination`` is the archive's path, or a directory to hold
    ``friendship-backup-<UTC time>.tar.gz``. The archive is written under a hidden
    temporary name in the same directory and renamed when complete, so a crash never
    leaves a half-written file that looks like a backup.
    """
    vendor = connection.vendor
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(
            _("Backups support PostgreSQL and SQLite, not %(vendor)s.") % {"vendor": vendor}
        )
    created_at = timezone.now().astimezone(datetime.UTC)
    path = archive_path(destination, created_at)
    with tempfile.TemporaryDirectory(prefix="friendship-backup-") as work:
        database_file = Path(work) / DATABASE_MEMBERS[vendor]
        if vendor == "postgresql":
            tables, migrations = _dump_postgresql(database_file)
        else:
            tables, migrations = _dump_sqlite(database_file)
        storage = storages["default"]
        media_files = _media_files(Path(storage.location)) if _is_local(storage) else []
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": created_at.isoformat(),
            "database": {"vendor": vendor, "file": database_file.name},
            "migrations": migrations,
            "tables": tables,
            "media": {
                "storage": "filesystem" if _is_local(storage) else "external",
                "files": media_files,  # filled in (size, sha256) as they are written
            },
        }
        _write_archive(path, manifest, database_file, media_files)
    return path, manifest


def archive_path(destination, created_at):
    destination = Path(destination)
    if destination.is_dir():
        stamp = created_at.strftime("%Y%m%dT%H%M%SZ")
        return destination / f"friendship-backup-{stamp}.tar.gz"
    if not destination.parent.is_dir():
        raise BackupError(_("No such directory: %(path)s") % {"path": destination.parent})
    return destination


def model_tables():
    """{table: model label} of every model whose table this code manages."""
    return {
        model._meta.db_table: model._meta.label_lower
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }


def _count_rows(cursor, existing_tables, quote_name):
    """{table: {"model": label, "rows": n}} for the models' tables that exist."""
    counts = {}
    for table, label in sorted(model_tables().items()):
        if table in existing_tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote_name(table)}")
            counts[table] = {"model": label, "rows": cursor.fetchone()[0]}
    return counts


def _applied_migrations(cursor):
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def libpq_environment(settings_dict=None):
    """The environment for pg_dump/pg_restore: every connection setting in libpq's
    variables, the password in PGPASSWORD, never on a command line (``ps`` shows those)."""
    settings_dict = settings_dict or connection.settings_dict
    _args, secrets = DatabaseClient.settings_to_cmd_args_env(settings_dict, [])
    environ = {**os.environ, **(secrets or {})}
    for variable, key in [("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")]:
        if settings_dict.get(key):
            environ[variable] = str(settings_dict[key])
    return environ


def _postgresql_tool(name):
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            _(
                "%(tool)s is not installed: install the PostgreSQL client tools (Debian: "
                "postgresql-client) of the server's major version or newer."
            )
            % {"tool": name}
        )
    return path


def _run(command, *, what):
    result = subprocess.run(
        command, env=libpq_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            _("%(what)s failed: %(error)s") % {"what": what, "error": result.stderr.strip()}
        )
    return result


def _dump_postgresql(target):
    """pg_dump the database; counts and migrations come from the same snapshot (a second
    connection exports it and holds it while pg_dump reads it), so they describe exactly
    the rows dumped even while editors keep working."""
    pg_dump = _postgresql_tool("pg_dump")
    snapshot_connection = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        snapshot_connection.set_autocommit(False)
        with snapshot_connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            existing = set(snapshot_connection.introspection.table_names(cursor))
            tables = _count_rows(cursor, existing, snapshot_connection.ops.quote_name)
            migrations = _applied_migrations(cursor)
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    "--no-owner",
                    "--no-acl",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                    f"--dbname={snapshot_connection.settings_dict['NAME']}",
                ],
                what="pg_dump",
            )
        snapshot_connection.rollback()
    finally:
        snapshot_connection.close()
    return tables, migrations


def _dump_sqlite(target):
    connection.ensure_connection()
    with closing(sqlite3.connect(target)) as copy:
        connection.connection.backup(copy)
    return _sqlite_contents(target)


def _sqlite_contents(path):
    """(tables with their rows, applied migrations) of the SQLite file at ``path``."""
    with closing(sqlite3.connect(path)) as database:
        cursor = database.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        existing = {row[0] for row in cursor.fetchall()}
        tables = _count_rows(cursor, existing, connection.ops.quote_name)
        migrations = _applied_migrations(cursor) if "django_migrations" in existing else {}
    return tables, migrations


def _is_local(storage):
    return isinstance(storage, FileSystemStorage)


def _media_files(root):
    """The regular files under ``root``; links are left out (a restore would refuse them)."""
    found = []
    if not root.is_dir():
        return found
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for filename in sorted(filenames):
            path = Path(directory) / filename
            if path.is_file() and not path.is_symlink():
                found.append(MediaFile(path.relative_to(root).as_posix(), path))
    return found


class _HashingReader:
    """Reads a file for tarfile while computing its SHA-256."""

    def __init__(self, file):
        self.file = file
        self.hash = hashlib.sha256()

    def read(self, size=-1):
        data = self.file.read(size)
        self.hash.update(data)
        return data


def _write_archive(path, manifest, database_file, media_files):
    partial = tempfile.NamedTemporaryFile(  # created 0600: the archive holds password hashes
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial", delete=False
    )
    try:
        with partial, tarfile.open(fileobj=partial, mode="w:gz") as tar:
            tar.add(database_file, arcname=database_file.name, recursive=False)
            for media in media_files:
                info = tar.gettarinfo(media.path, arcname=f"{MEDIA_DIR}/{media.name}")
                with media.path.open("rb") as file:
                    reader = _HashingReader(file)
                    tar.addfile(info, reader)
                media.size, media.sha256 = info.size, reader.hash.hexdigest()
            manifest["media"]["files"] = [
                {"name": media.name, "size": media.size, "sha256": media.sha256}
                for media in media_files
            ]
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
            tar.addfile(info, _BytesReader(data))
            tar.close()
            partial.flush()
            os.fsync(partial.fileno())
        os.replace(partial.name, path)
    except BaseException:
        Path(partial.name).unlink(missing_ok=True)
        raise


class _BytesReader:
    def __init__(self, data):
        self.data = memoryview(data)

    def read(self, size=-1):
        size = len(self.data) if size < 0 else size
        chunk, self.data = self.data[:size], self.data[size:]
        return bytes(chunk)


# Restore


@dataclass
class Staged:
    """What a checked archive unpacked into a temporary directory."""

    manifest: dict
    database: Path
    media_root: Path


def restore_backup(path, *, confirm=None, dry_run=False, report=lambda message: None):
    """Replace the site's database and media with the backup at ``path``; return the manifest.

    Everything is checked before anything changes: a refused archive (``BackupError``)
    leaves the site as it was. ``confirm(manifest)``, when given, is asked once the archive
    has passed its checks; False cancels. ``dry_run`` stops after the checks.
    ``report`` receives progress messages.
    """
    if connection.in_atomic_block:
        raise BackupError(_("A restore cannot run inside a database transaction."))
    with tempfile.TemporaryDirectory(prefix="friendship-restore-") as work:
        staged = _unpack_checked(path, Path(work))
        manifest = staged.manifest
        report(
            _(
                "The archive passed its checks: made %(created_at)s, %(rows)d rows, "
                "%(files)d media files."
            )
            % {
                "created_at": manifest["created_at"],
                "rows": sum(entry["rows"] for entry in manifest["tables"].values()),
                "files": len(manifest["media"]["files"]),
            }
        )
        if dry_run:
            return manifest
        if confirm is not None and not confirm(manifest):
            raise BackupError(_("Restore cancelled: nothing was changed."))
        report(_("Restoring the database…"))
        if connection.vendor == "postgresql":
            _restore_postgresql(staged.database)
        else:
            _restore_sqlite(staged.database)
        with connection.cursor() as cursor:
            existing = set(connection.introspection.table_names(cursor))
            restored = _count_rows(cursor, existing, connection.ops.quote_name)
        _compare_tables(manifest["tables"], restored, _("in the restored database"))
        report(_("Restoring %(count)d media files…") % {"count": len(manifest["media"]["files"])})
        _restore_media(staged, manifest["media"])
        # Cached pages, sessions and rendition lists describe the data that was replaced
        # (a cached session could even name a user id that is now someone else).
        for alias in settings.CACHES:
            caches[alias].clear()
    for message in _after_restore_notes(manifest):
        report(message)
    return manifest


def _unpack_checked(path, work):
    try:
        tar = tarfile.open(path, "r:gz")
    except (OSError, tarfile.TarError) as error:
        raise BackupError(
            _("%(path)s is not a backup archive: %(error)s") % {"path": path, "error": error}
        ) from error
    with tar:
        members = checked_members(tar)
        manifest = _read_manifest(tar, members)
        _check_manifest(manifest, members)
        _check_migrations(manifest["migrations"])
        database = work / manifest["database"]["file"]
        _extract(tar, members[database.name], database)
        media_root = work / MEDIA_DIR
        for entry in manifest["media"]["files"]:
            target = media_root / entry["name"]
            size, digest = _extract(tar, members[f"{MEDIA_DIR}/{entry['name']}"], target)
            if (size, digest) != (entry["size"], entry["sha256"]):
                raise BackupError(
                    _(
                        "The media file %(name)s in the archive is damaged (its size or checksum "
                        "differs from the manifest)."
                    )
                    % {"name": entry["name"]}
                )
    if manifest["database"]["vendor"] == "postgresql":
        archived = _count_dumped_rows(database)
    else:
        archived = {
            table: {"rows": entry["rows"]} for table, entry in _sqlite_contents(database)[0].items()
        }
    _compare_tables(
        manifest["tables"], archived, _("in the archived database"), missing_is_zero=True
    )
    return Staged(manifest, database, media_root)


def checked_members(tar):
    """{name: member} of the archive, refused (``BackupError``) when any member could
    write outside the place it is unpacked to, or is anything but a file or directory."""
    members = {}
    for member in tar.getmembers():
        problem = _member_problem(member)
        if problem:
            raise BackupError(
                _("Refused: the archive member %(name)s %(problem)s.")
                % {"name": member.name, "problem": problem}
            )
        if member.name in members:
            raise BackupError(
                _("Refused: the archive holds %(name)s twice.") % {"name": member.name}
            )
        members[member.name] = member
    return members


def _member_problem(member):
    name = member.name
    parts = PurePosixPath(name).parts
    if name.startswith("/") or "\\" in name or re.match(r"^[A-Za-z]:", name):
        return _("has an absolute path")
    if ".." in parts:
        return _("climbs out of its directory (..)")
    if member.issym() or member.islnk():
        return _("is a link")
    if not (member.isfile() or member.isdir()):
        return _("is a device or another special file")
    expected = name in {MANIFEST, *DATABASE_MEMBERS.values()} or (
        len(parts) > 1 and parts[0] == MEDIA_DIR
    )
    if not expected or "\x00" in name or PurePosixPath(name).as_posix() != name.rstrip("/"):
        return _("is not part of a backup")
    return None


def _read_manifest(tar, members):
    if MANIFEST not in members or not members[MANIFEST].isfile():
        raise BackupError(
            _("Refused: the archive has no %(manifest)s; it is not a backup of this site.")
            % {"manifest": MANIFEST}
        )
    try:
        manifest = json.loads(tar.extractfile(members[MANIFEST]).read())
    except ValueError:  # not JSON, not UTF-8
        manifest = None
    if not _is_complete(manifest):
        raise BackupError(
            _("Refused: %(manifest)s is unreadable or incomplete.") % {"manifest": MANIFEST}
        )
    vendor = manifest["database"]["vendor"]
    if vendor not in DATABASE_MEMBERS:
        raise BackupError(
            _("Refused: unknown database vendor %(vendor)s in the manifest.") % {"vendor": vendor}
        )
    return manifest


def _is_complete(manifest):
    """Whether the manifest holds everything a restore reads, each of the right kind."""
    try:
        return (
            isinstance(manifest["format"], int)
            and isinstance(manifest["created_at"], str)
            and isinstance(manifest["database"]["vendor"], str)
            and isinstance(manifest["database"]["file"], str)
            and all(isinstance(names, list) for names in manifest["migrations"].values())
            and all(isinstance(entry["rows"], int) for entry in manifest["tables"].values())
            and manifest["media"]["storage"] in {"filesystem", "external"}
            and all(
                isinstance(entry["name"], str)
                and isinstance(entry["size"], int)
                and isinstance(entry["sha256"], str)
                for entry in manifest["media"]["files"]
            )
        )
    except (KeyError, TypeError, AttributeError):
        return False


def _check_manifest(manifest, members):
    if manifest["format"] != FORMAT_VERSION:
        raise BackupError(
            _(
                "Refused: the archive's format is %(found)s; this version of the site reads "
                "format %(expected)s."
            )
            % {"found": manifest["format"], "expected": FORMAT_VERSION}
        )
    archived, current = manifest["database"]["vendor"], connection.vendor
    if archived != current:
        raise BackupError(
            _("Refused: the backup holds a %(archived)s database and this site uses %(current)s.")
            % {"archived": archived, "current": current}
        )
    database = manifest["database"]["file"]
    if database != DATABASE_MEMBERS[archived] or database not in members:
        raise BackupError(
            _("Refused: the archive does not hold its database (%(file)s).") % {"file": database}
        )
    listed = {f"{MEDIA_DIR}/{entry['name']}" for entry in manifest["media"]["files"]}
    present = {
        name
        for name, member in members.items()
        if name.startswith(f"{MEDIA_DIR}/") and member.isfile()
    }
    if listed != present:
        difference = sorted(listed ^ present)
        raise BackupError(
            _("Refused: the media files in the archive differ from its manifest: %(names)s.")
            % {"names": ", ".join(difference[:5])}
        )


def _check_migrations(archived):
    """Refuse a backup made by newer code: its tables could hold columns this code does
    not know, and restoring would silently lose them at the next save."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(
        f"{app}.{name}"
        for app, names in archived.items()
        for name in names
        if (app, name) not in known
    )
    if unknown:
        raise BackupError(
            _(
                "Refused: the backup was made by a newer version of the site (unknown "
                "migrations: %(names)s). Restore it with the version that made it."
            )
            % {"names": ", ".join(unknown[:5])}
        )


def _extract(tar, member, target):
    """Write ``member`` to ``target``; return its (size, SHA-256)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    source = tar.extractfile(member)
    with source, target.open("wb") as output:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            output.write(chunk)
    return size, digest.hexdigest()


def _count_dumped_rows(dump):
    """{table: {"rows": n}} read from a pg_dump archive, without a database."""
    pg_restore = _postgresql_tool("pg_restore")
    counts, table = {}, None
    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen(
            [pg_restore, "--data-only", "--file=-", str(dump)],
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        with process.stdout:
            for line in process.stdout:
                if table is None:
                    match = COPY_RE.match(line)
                    if match:
                        table = (match[1] or match[2]).decode()
                        counts[table] = {"rows": 0}
                elif line == COPY_END:
                    table = None
                else:
                    counts[table]["rows"] += 1
        if process.wait() != 0:
            errors.seek(0)
            raise BackupError(
                _("pg_restore cannot read the archived database: %(error)s")
                % {"error": errors.read().decode(errors="replace").strip()}
            )
    return counts


def _compare_tables(expected, found, where, *, missing_is_zero=False):
    differences = []
    for table, entry in sorted(expected.items()):
        rows = found.get(table, {"rows": 0} if missing_is_zero else {"rows": None})["rows"]
        if rows != entry["rows"]:
            differences.append(
                _("%(model)s: %(expected)s in the manifest, %(found)s %(where)s")
                % {
                    "model": entry.get("model", table),
                    "expected": entry["rows"],
                    "found": rows,
                    "where": where,
                }
            )
    if differences:
        raise BackupError(
            _("Row counts differ from the manifest: %(differences)s.")
            % {"differences": "; ".join(differences)}
        )


def _restore_postgresql(dump):
    pg_restore = _postgresql_tool("pg_restore")
    connection.close()  # holds no lock, but may sit on a table pg_restore drops
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",
            str(dump),
        ],
        what="pg_restore",
    )
    connection.close()


def _restore_sqlite(copy):
    # Through the backup API into the live database (whatever the connection opened: a
    # file, or the tests' shared in-memory database), as one write; readers in WAL mode see
    # the old database or the new one, never a mixture.
    connection.ensure_connection()
    with closing(sqlite3.connect(copy)) as source:
        source.backup(connection.connection)


def _restore_media(staged, media):
    if media["storage"] != "filesystem":
        return
    storage = storages["default"]
    if not _is_local(storage):
        raise BackupError(
            _(
                "The backup holds media files but this site keeps them in object storage; "
                "copy the %(count)d files of the archive's media/ to the bucket by hand."
            )
            % {"count": len(media["files"])}
        )
    root = Path(storage.location)
    for entry in media["files"]:
        target = root / entry["name"]
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(staged.media_root / entry["name"], partial)
        os.replace(partial, target)


def _after_restore_notes(manifest):
    notes = []
    if manifest["media"]["storage"] != "filesystem":
        notes.append(
            _(
                "The backup holds no media files: they were in object storage, which keeps "
                "them (versioning, replication)."
            )
        )
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        notes.append(
            _("This code has migrations the backup predates: run “python manage.py migrate”.")
        )
    return notes
