"""Index the editions that existed before search did (new ones are indexed on save).

Uses the folding and segmenting rules of search.text, the same as the live index; the
management command rebuild_search_index does the same at any later time.
"""

from django.db import migrations


def index_editions(apps, schema_editor):
    from search.text import document, html_to_text

    ArticleTranslation = apps.get_model("articles", "ArticleTranslation")
    SearchEntry = apps.get_model("search", "SearchEntry")
    editions = ArticleTranslation.objects.exclude(
        pk__in=SearchEntry.objects.values("edition_id")
    ).values("pk", "language_code", "title", "lead", "body")
    SearchEntry.objects.bulk_create(
        (
            SearchEntry(
                edition_id=edition["pk"],
                language_code=edition["language_code"],
                title=document(edition["title"]),
                document=document(edition["lead"], html_to_text(edition["body"])),
            )
            for edition in editions.iterator(chunk_size=200)
        ),
        batch_size=200,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_postgresql_search_vector"),
    ]

    operations = [
        migrations.RunPython(index_editions, migrations.RunPython.noop),
    ]
