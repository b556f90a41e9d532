"""On PostgreSQL only: the text-search vector of each entry, and its GIN index.

A stored generated column, so that PostgreSQL keeps it in step with the words by itself
and ranking reads it instead of parsing every matching document again. Not a model
field: SQLite (the development default) has no text-search vectors and searches with
LIKE instead (search/index.py), so the model stays portable and this migration does
nothing there. The weights (title A, the rest B) are the ones search/index.py ranks by.
A later migration that changes the type of ``title`` or ``document`` must drop the
column first: PostgreSQL refuses to alter a column a generated column depends on.
"""

from django.db import migrations

ADD_VECTOR = """
ALTER TABLE search_searchentry ADD COLUMN vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple'::regconfig, title), 'A')
    || setweight(to_tsvector('simple'::regconfig, document), 'B')
) STORED
"""
ADD_INDEX = "CREATE INDEX search_entry_vector ON search_searchentry USING gin (vector)"
DROP_VECTOR = "ALTER TABLE search_searchentry DROP COLUMN vector"  # drops the index too


def add_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ADD_VECTOR)
        schema_editor.execute(ADD_INDEX)


def drop_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_VECTOR)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(add_vector, drop_vector, elidable=False),
    ]
