from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from articles.views import reader_articles
from events.models import Activity
from friendship_site.cache import reader_page_cache
from friendship_site.i18n import language_links, translated_urls
from organizations.models import Country, FriendshipUnion, MemberAssociation, PartnerLocality

RELATED_ARTICLES = 10


def localities(language):
    return (
        PartnerLocality.objects.translated(language)
        .language(language)
        .select_related("country")
        .prefetch_related("translations", "country__translations")
    )


def associations(language):
    return (
        MemberAssociation.objects.translated(language)
        .language(language)
        .prefetch_related("translations")
    )


@reader_page_cache
def union_detail(request):
    language = get_language()
    union = FriendshipUnion.objects.home()
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
        .prefetch_related("countries__translations")
        .filter(translations__slug=slug, translations__language_code=language)
    )
    return render(
        request,
        "organizations/association_detail.html",
        {
            "association": association,
            "articles": reader_articles(language).filter(associations=association)[
                :RELATED_ARTICLES
            ],
            "activities": Activity.objects.for_language(language)
            .filter(associations=association)
            .for_listing()[:RELATED_ARTICLES],
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
        .prefetch_related("agreements")
        .filter(translations__slug=slug, translations__language_code=language)
    )
    return render(
        request,
        "organizations/locality_detail.html",
        {
            "locality": locality,
            "years": locality.years_of_cooperation(),
            "articles": reader_articles(language).filter(localities=locality)[:RELATED_ARTICLES],
            "activities": Activity.objects.for_language(language)
            .filter(localities=locality)
            .for_listing(),
            "language_links": language_links(
                request, translated_urls(locality, "organizations:locality")
            ),
        },
    )


@reader_page_cache
def country_detail(request, code):
    language = get_language()
    country = get_object_or_404(
        Country.objects.translated(language).language(language), code=code.upper()[:2]
    )
    return render(
        request,
        "organizations/country_detail.html",
        {
            "country": country,
            "localities": localities(language).filter(country=country),
            "associations": associations(language).filter(countries=country),
            "articles": reader_articles(language).filter(countries=country)[:RELATED_ARTICLES],
            "activities": Activity.objects.for_language(language)
            .filter(countries=country)
            .for_listing()[:RELATED_ARTICLES],
        },
    )
