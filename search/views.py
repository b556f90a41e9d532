from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from friendship_site.i18n import language_links
from search import index
from search.forms import SearchForm
from search.text import MAX_QUERY_WORDS, highlight, html_to_text, query_words, snippet

RESULTS_PER_PAGE = 10


@dataclass
class Result:
    url: str
    title: SafeString
    published_at: datetime
    snippet: SafeString


def search(request):
    """Search the editions published in the current language; ``?q=…&page=N``."""
    language = get_language()
    form = SearchForm(request.GET)
    context = {
        "form": form,
        "query": "",
        "terms": [],
        "too_many_words": False,
        "max_words": MAX_QUERY_WORDS,
        "page_obj": None,
        "more_results": False,
        "max_results": index.MAX_RESULTS,
        "results": [],
    }
    if form.is_valid() and form.cleaned_data["q"]:
        context["query"] = form.cleaned_data["q"]
        terms = query_words(context["query"])
        context["terms"] = terms
        context["too_many_words"] = len(terms) > MAX_QUERY_WORDS
        found = index.search(language, terms)
        page_obj = Paginator(found.hits, RESULTS_PER_PAGE).get_page(request.GET.get("page"))
        index.load_editions(page_obj.object_list)
        terms = terms[:MAX_QUERY_WORDS]
        context["page_obj"] = page_obj
        context["more_results"] = found.more
        context["results"] = [result(hit.edition, terms) for hit in page_obj if hit.edition]
        # The same words searched in the other editions.
        query = urlencode({"q": context["query"]})
        context["language_links"] = [
            {**link, "url": f"{link['url']}?{query}"} for link in language_links(request)
        ]
    response = render(request, "search/results.html", context)
    # Results change with every publication and are not worth a search engine's visit.
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def result(edition, terms):
    return Result(
        # The edition's own slug: the article's address in the current language.
        url=reverse("articles:detail", kwargs={"slug": edition.slug}),
        title=highlight(edition.title, terms),
        published_at=edition.published_at,
        snippet=snippet(f"{edition.lead} {html_to_text(edition.body)}", terms),
    )
