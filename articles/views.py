from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from articles.models import Article


def article_detail(request, slug):
    language = get_language()
    article = get_object_or_404(
        Article.objects.for_language(language)
        .published()
        .for_listing()
        .translated(language, slug=slug)
    )
    edition = article.get_translation(language)
    return render(request, "articles/article_detail.html", {"article": article, "edition": edition})
