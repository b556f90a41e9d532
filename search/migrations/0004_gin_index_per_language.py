"""One GIN index per language instead of one for all, the vector kept in its row, and an
index of each language's newest entries (see search.index._candidates_postgresql).

Every search is in one language, and a partial index holds only that language's entries:
a third to a half of the rows, and the planner's estimate of how many match is that
language's own. The language codes are those of settings.LANGUAGES when this was written,
spelled out so that the migration does not change with the settings: a new language
needs a migration adding its index (tests/search/test_postgresql.py checks that each
language has one).

Storage MAIN keeps the vector in the entry's row: PostgreSQL would rather move the
vector, the largest value, out to the TOAST table, and a search that walks the newest
entries (search.index._candidates_postgresql) then reads three pages per entry instead
of one; at 100,000 articles that walk took three times as long. Rows written before
this migration keep their layout until rewritten: ``VACUUM FULL search_searchentry``
rewrites them all (it locks the table for about 20 seconds at 100,000 articles).
"""

from django.db import migrations, models

LANGUAGES = ["vi", "en", "zh-hans"]


def index_name(language):
    return f"search_entry_vector_{language.replace('-', '_')}"


def per_language(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language in LANGUAGES:
        schema_editor.execute(
            f"CREATE INDEX {index_name(language)} ON search_searchentry USING gin (vector) "
            "WHERE language_code = %s",
            [language],
        )
    schema_editor.execute("DROP INDEX search_entry_vector")
    schema_editor.execute("ALTER TABLE search_searchentry ALTER COLUMN vector SET STORAGE MAIN")


def one_for_all(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE search_searchentry ALTER COLUMN vector SET STORAGE EXTENDED")
    schema_editor.execute(
        "CREATE INDEX search_entry_vector ON search_searchentry USING gin (vector)"
    )
    for language in LANGUAGES:
        schema_editor.execute(f"DROP INDEX {index_name(language)}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_index_existing_editions"),
    ]

    operations = [
        migrations.RunPython(per_language, one_for_all, elidable=False),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["language_code", "edition"], name="search_entry_newest"),
        ),
    ]
