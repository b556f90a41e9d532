from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import get_language

from articles.models import Article


def home(request):
    """An edition's home page: the articles published in its language, newest first."""
    articles = Article.objects.for_language(get_language()).published().for_listing().newest_first()
    page_obj = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(request, "home.html", {"page_obj": page_obj})
