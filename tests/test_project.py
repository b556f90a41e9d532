"""Project-wide checks: migrations are complete, translation catalogues are compiled."""

from io import StringIO
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command

from articles.roles import EDITOR, ROLES

CATALOGUES = sorted(Path(settings.BASE_DIR, "locale").glob("*/LC_MESSAGES/django.po"))


@pytest.mark.django_db
def test_migrations_are_complete():
    output = StringIO()

    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=output, stderr=output)
    except SystemExit:
        pytest.fail(f"Model changes without migrations:\n{output.getvalue()}")


def test_there_is_a_catalogue_per_language():
    assert [path.parent.parent.name for path in CATALOGUES] == ["en", "vi", "zh_Hans"]


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda path: path.parent.parent.name)
def test_compiled_catalogue_matches_its_source(po_path):
    source = polib.pofile(str(po_path))
    compiled = polib.mofile(str(po_path.with_suffix(".mo")))

    def translations(catalogue):
        return {
            (entry.msgctxt, entry.msgid): entry.msgstr
            for entry in catalogue
            if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
        }

    assert translations(compiled) == translations(source), "run `make messages`"


@pytest.mark.parametrize("language", ["vi", "zh_Hans"])
def test_every_interface_string_is_translated(language):
    catalogue = polib.pofile(
        str(Path(settings.BASE_DIR, "locale", language, "LC_MESSAGES", "django.po"))
    )

    missing = [
        entry.msgid for entry in catalogue.untranslated_entries() + catalogue.fuzzy_entries()
    ]

    assert missing == []


@pytest.mark.django_db(transaction=True)
def test_roles_are_restored_after_a_database_flush():
    Group.objects.all().delete()

    call_command("flush", "--no-input", verbosity=0)

    assert set(Group.objects.values_list("name", flat=True)) == set(ROLES)
    assert Group.objects.get(name=EDITOR).permissions.filter(codename="publish_article").exists()
