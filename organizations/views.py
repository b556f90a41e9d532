import re

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from articles.views import reader_articles
from events.models import Activity
from friendship_site.cache import reader_page_cache
from friendship_site.context_processors import home_union
from friendship_site.i18n import language_links, translated_urls, with_translation
from organizations.models import Country, MemberAssociation, PartnerLocality

RELATED_ARTICLES = 10
# A country's address holds its ISO 3166-1 alpha-2 code (lower case in links we print).
COUNTRY_CODE_RE = re.compile(r"[A-Za-z]{2}")


def localities(language):
    """Partner localities translated into ``language``, with their country's name."""
    return with_translation(
        PartnerLocality.objects.translated(language), language
    ).prefetch_related(
        Prefetch("country", queryset=with_translation(Country.objects.all(), language))
    )


def countries_in(language):
    """Prefetch of the countries (named in ``language``) of localities or associations."""
    return Prefetch("countries", queryset=with_translation(Country.objects.all(), language))


def associations(language):
    return with_translation(MemberAssociation.objects.translated(language), language)


@reader_page_cache
def union_detail(request):
    language = get_language()
    union = home_union(request)
    if union is None:
        raise Http404
    return render(
        request,
        "organizations/union_detail.html",
        {
            "union": union,
            "associations": associations(language).filter(union=union),
            "localities": localities(language),
        },
    )


@reader_page_cache
def association_detail(request, slug):
    language = get_language()
    association = get_object_or_404(
        associations(language)
        .prefetch_related("translations", countries_in(language))
        .filter(translations__slug=slug, translations__language_code=language)
    )
    return render(
        request,
        "organizations/association_detail.html",
        {
            "association": association,
            "articles": reader_articles(language)
            .filter(master__associations=association)
            .as_cards()[:RELATED_ARTICLES],
            "activities": Activity.objects.for_language(language).filter(associations=association)[
                :RELATED_ARTICLES
            ],
            "language_links": language_links(
                request, translated_urls(association, "organizations:association")
            ),
        },
    )


@reader_page_cache
def locality_list(request):
    language = get_language()
    return render(request, "organizations/locality_list.html", {"localities": localities(language)})


@reader_page_cache
def locality_detail(request, slug):
    language = get_language()
    locality = get_object_or_404(
        localities(language)
        .prefetch_related("agreements", "translations")
        .filter(translations__slug=slug, translations__language_code=language)
    )
    return render(
        request,
        "organizations/locality_detail.html",
        {
            "locality": locality,
            "years": locality.years_of_cooperation(),
            "timeline": locality.timeline(language),
            "language_links": language_links(
                request, translated_urls(locality, "organizations:locality")
            ),
        },
    )


@reader_page_cache
def country_detail(request, code):
    # Anything but two letters is no country; checked before the query, because the path
    # may hold any character, and PostgreSQL refuses a NUL byte in a string (a 500).
    if not COUNTRY_CODE_RE.fullmatch(code):
        raise Http404
    language = get_language()
    country = get_object_or_404(
        with_translation(Country.objects.translated(language), language), code=code.upper()
    )
    return render(
        request,
        "organizations/country_detail.html",
        {
            "country": country,
            "localities": localities(language).filter(country=country),
            "associations": associations(language).filter(countries=country),
            "articles": reader_articles(language)
            .filter(master__countries=country)
            .as_cards()[:RELATED_ARTICLES],
            "activities": Activity.objects.for_language(language).filter(countries=country)[
                :RELATED_ARTICLES
            ],
        },
    )
