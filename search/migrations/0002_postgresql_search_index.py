"""The GIN index of the text-search vector, on PostgreSQL only.

Written by hand because the model stays portable: SQLite (the development default) has no
text-search vectors and searches with LIKE instead (search/index.py). The expression is
the one search.index.search_vector() queries with; change both together.
"""

from django.db import migrations

INDEX_NAME = "search_entry_vector"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex
    from django.contrib.postgres.search import SearchVector

    vector = SearchVector("title", weight="A", config="simple") + SearchVector(
        "document", weight="B", config="simple"
    )
    schema_editor.add_index(
        apps.get_model("search", "SearchEntry"), GinIndex(vector, name=INDEX_NAME)
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
