"""manage.py backup / restore: the whole site round-trips, and a damaged or hostile archive
is refused before anything changes. Runs on SQLite and, with DATABASE_URL=postgres://…, on
PostgreSQL (pg_dump/pg_restore)."""

import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import translation

from articles.models import ArticleTranslation, EditionStatus, Photo
from articles.renditions import renditions
from backups.archive import BackupError, create_backup, restore_backup
from events.models import Activity
from tests.factories import ActivityFactory, ArticleFactory, PhotoFactory, add_edition, jpeg_file

# Transactions: pg_dump reads the database from another connection, which sees only
# committed rows; a restore replaces the database and must not run inside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def media_root():
    return Path(settings.MEDIA_ROOT)


def site_contents():
    """Everything a restore must bring back: rows per model, the texts and states of the
    editions, the activities' translations, the revisions, the photos and media bytes."""
    tables = {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    }
    activity_translations = Activity._parler_meta.root_model.objects.order_by("pk")
    return {
        "rows": tables,
        "editions": list(
            ArticleTranslation.objects.order_by("pk").values_list(
                "language_code", "title", "slug", "body", "status", "published_at"
            )
        ),
        "activities": list(activity_translations.values_list("language_code", "title")),
        "revisions": list(
            ArticleTranslation.history.order_by("history_id").values_list(
                "language_code", "title", "status", "history_type"
            )
        ),
        "photos": list(Photo.objects.values_list("image", "width", "rendition_manifest")),
        "media": {
            path.relative_to(media_root()).as_posix(): path.read_bytes()
            for path in sorted(media_root().rglob("*"))
            if path.is_file()
        },
    }


@pytest.fixture
def site(newsroom):
    """A newsroom with content in three languages, a photo with its renditions, an
    activity and revisions."""
    with translation.override("vi"):
        activity = ActivityFactory(title="Đón đoàn đại biểu tỉnh Champasak")
    activity.set_current_language("zh-hans")
    activity.title = "接待占巴塞省代表团"
    activity.save()
    photo = PhotoFactory(image=jpeg_file(size=(1000, 500)))
    assert renditions(photo)  # rendition files in MEDIA_ROOT, their list kept on the photo
    with translation.override("vi"):
        article = ArticleFactory(
            title="Đoàn Champasak thăm tỉnh",
            body="<p>Tăng cường hữu nghị Việt Nam – Lào.</p>",
            lead_photo=photo,
            created_by=newsroom["reporter"],
        )
    add_edition(article, "en", title="Champasak delegation visits", status=EditionStatus.IN_REVIEW)
    add_edition(
        article,
        "zh-hans",
        title="占巴塞省代表团访问本省",
        body="<p>加强越老友谊。</p>",
        status=EditionStatus.DRAFT,
        published_at=None,
    )
    article.activities.add(activity)
    return article


@pytest.fixture
def backups(tmp_path):
    """A directory for the archives, outside MEDIA_ROOT (tmp_path/media)."""
    directory = tmp_path / "backups"
    directory.mkdir()
    return directory


def wipe_site():
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root())


def test_backup_then_restore_brings_back_every_row_text_state_and_photo(site, backups):
    before = site_contents()
    path, _manifest = create_backup(backups)
    wipe_site()
    assert site_contents()["editions"] == []

    restore_backup(path)

    after = site_contents()
    assert after == before
    assert ("vi", "Đoàn Champasak thăm tỉnh") in [edition[:2] for edition in after["editions"]]
    assert ("zh-hans", "接待占巴塞省代表团") in after["activities"]


def test_backup_is_one_archive_with_a_manifest_of_counts_migrations_and_media(site, backups):
    path, _manifest = create_backup(backups)

    assert [item.name for item in backups.iterdir()] == [path.name]
    assert path.name.startswith("friendship-backup-")
    assert path.name.endswith(".tar.gz")
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = tar.getnames()
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["tables"]["articles_article_translation"] == {
        "model": "articles.articletranslation",
        "rows": 3,
    }
    assert "0001_initial" in manifest["migrations"]["articles"]
    media = {entry["name"]: entry for entry in manifest["media"]["files"]}
    original = Photo.objects.get().image.name
    assert media[original]["size"] == (media_root() / original).stat().st_size
    on_disk = site_contents()["media"]
    assert set(media) == set(on_disk)
    assert len(on_disk) > 1  # the original and its renditions
    assert sorted(names) == sorted(
        ["manifest.json", manifest["database"]["file"], *(f"media/{name}" for name in media)]
    )


def test_backup_and_restore_commands_round_trip_with_yes(site, backups):
    before = site_contents()
    archive = backups / "site.tar.gz"
    output = io.StringIO()
    call_command("backup", output=str(archive), stdout=output)
    assert str(archive) in output.getvalue()
    wipe_site()

    call_command("restore", str(archive), yes=True, stdout=io.StringIO())

    assert site_contents() == before


def test_restore_empties_the_page_cache(site, backups, client):
    path, _manifest = create_backup(backups)
    wipe_site()
    assert "Đoàn Champasak thăm tỉnh" not in client.get("/vi/").text  # kept in the cache

    restore_backup(path)

    # The restore wrote no rows through the ORM: no signal told the page cache.
    assert "Đoàn Champasak thăm tỉnh" in client.get("/vi/").text


def test_restore_asks_for_confirmation_and_a_no_changes_nothing(site, backups, monkeypatch):
    path, _manifest = create_backup(backups)
    ArticleTranslation.objects.filter(language_code="vi").update(title="Sửa sau khi sao lưu")
    before = site_contents()
    questions = []
    monkeypatch.setattr("builtins.input", lambda question: questions.append(question) or "no")

    with pytest.raises(CommandError, match="cancelled"):
        call_command("restore", str(path), stdout=io.StringIO())

    assert len(questions) == 1
    assert site_contents() == before


def test_restore_dry_run_checks_the_archive_and_changes_nothing(site, backups):
    path, _manifest = create_backup(backups)
    wipe_site()
    output = io.StringIO()

    call_command("restore", str(path), dry_run=True, stdout=output)

    assert "nothing was changed" in output.getvalue()
    assert site_contents()["editions"] == []


# Damaged and hostile archives: each is refused with a message saying why, and the site
# keeps its current data (the archive's differs: the title changed after the backup).


def rewrite(path, *, manifest=None, drop=(), add=(), replace=None):
    """A copy of the archive at ``path`` with its manifest changed by ``manifest(dict)``,
    members named in ``drop`` left out, ``add`` (TarInfo, bytes or None) appended, and
    member bytes changed by ``replace(name, data)``."""
    target = path.with_name("tampered.tar.gz")
    with tarfile.open(path) as source, tarfile.open(target, "w:gz") as tar:
        for member in source.getmembers():
            if member.name in drop:
                continue
            data = source.extractfile(member).read()
            if member.name == "manifest.json" and manifest:
                document = json.loads(data)
                manifest(document)
                data = json.dumps(document).encode()
            elif replace:
                data = replace(member.name, data)
            member.size = len(data)
            tar.addfile(member, io.BytesIO(data))
        for member, data in add:
            tar.addfile(member, io.BytesIO(data) if data is not None else None)
    return target


def member(name, kind=tarfile.REGTYPE, data=b"", linkname=""):
    info = tarfile.TarInfo(name)
    info.type, info.size, info.linkname = kind, len(data), linkname
    return info, data


@pytest.fixture
def changed_since_backup(site, backups):
    """(archive, contents now): a backup, then an edit it does not hold."""
    path, _manifest = create_backup(backups)
    ArticleTranslation.objects.filter(language_code="vi").update(title="Sửa sau khi sao lưu")
    return path, site_contents()


def assert_refused(archive, message, before):
    with pytest.raises(BackupError, match=message):
        restore_backup(archive)
    assert site_contents() == before


@pytest.mark.parametrize(
    ("hostile", "message"),
    [
        (member("../escaped.txt", data=b"x"), r"climbs out"),
        (member("media/../../escaped.txt", data=b"x"), r"climbs out"),
        (member("/tmp/escaped.txt", data=b"x"), r"absolute path"),
        (member("media/passwd", tarfile.SYMTYPE, linkname="/etc/passwd"), r"is a link"),
        (member("media/hard", tarfile.LNKTYPE, linkname="manifest.json"), r"is a link"),
        (member("media/null", tarfile.CHRTYPE), r"device"),
        (member("settings.py", data=b"x"), r"not part of a backup"),
    ],
    ids=["dot-dot", "dot-dot-in-media", "absolute", "symlink", "hard-link", "device", "stray"],
)
def test_restore_refuses_an_archive_with_an_unsafe_member(
    changed_since_backup, hostile, message, tmp_path
):
    path, before = changed_since_backup

    assert_refused(rewrite(path, add=[hostile]), message, before)

    assert not (tmp_path.parent / "escaped.txt").exists()
    assert not Path("/tmp/escaped.txt").exists()


def test_restore_refuses_an_archive_without_a_manifest(changed_since_backup):
    path, before = changed_since_backup

    assert_refused(rewrite(path, drop={"manifest.json"}), r"has no manifest\.json", before)


def test_restore_refuses_a_backup_of_another_database_vendor(changed_since_backup):
    path, before = changed_since_backup
    other = "sqlite" if connection.vendor == "postgresql" else "postgresql"

    def vendor(manifest):
        manifest["database"]["vendor"] = other

    assert_refused(
        rewrite(path, manifest=vendor), f"holds a {other} database and this site uses", before
    )


def test_restore_refuses_when_the_archived_rows_differ_from_the_manifest(changed_since_backup):
    path, before = changed_since_backup

    def one_more_edition(manifest):
        manifest["tables"]["articles_article_translation"]["rows"] += 1

    assert_refused(
        rewrite(path, manifest=one_more_edition),
        r"articles\.articletranslation: 4 in the manifest, 3 in the archived database",
        before,
    )


def test_restore_refuses_a_damaged_media_file(changed_since_backup):
    path, before = changed_since_backup
    original = Photo.objects.get().image.name

    def damage(name, data):
        return data[:-1] + b"\x00" if name == f"media/{original}" else data

    assert_refused(rewrite(path, replace=damage), r"is damaged", before)


def test_restore_refuses_a_backup_made_by_newer_code(changed_since_backup):
    path, before = changed_since_backup

    def future(manifest):
        manifest["migrations"]["articles"].append("9999_from_the_future")

    assert_refused(rewrite(path, manifest=future), r"newer version.*9999_from_the_future", before)


def test_restore_refuses_a_file_that_is_not_an_archive(changed_since_backup, tmp_path):
    _path, before = changed_since_backup
    not_an_archive = tmp_path / "notes.tar.gz"
    not_an_archive.write_text("hello")

    assert_refused(not_an_archive, r"is not a backup archive", before)


def test_restore_refuses_an_incomplete_manifest(changed_since_backup):
    path, before = changed_since_backup

    def without_counts(manifest):
        del manifest["tables"]

    assert_refused(rewrite(path, manifest=without_counts), r"unreadable or incomplete", before)


def test_backup_says_media_in_object_storage_are_the_buckets_to_keep(settings, backups):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    output = io.StringIO()

    call_command("backup", output=str(backups), stdout=output)

    assert "not in the archive: the bucket keeps them" in output.getvalue()
    with tarfile.open(next(backups.iterdir())) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["media"] == {"storage": "external", "files": []}
