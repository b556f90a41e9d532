from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from articles.views import reader_articles
from events.filters import ActivityFilter
from events.models import Activity
from friendship_site.cache import reader_page_cache
from friendship_site.i18n import language_links, translated_urls


@reader_page_cache
def activity_list(request):
    language = get_language()
    activities = Activity.objects.for_language(language).for_listing()
    activity_filter = ActivityFilter(request.GET, queryset=activities, language=language)
    if not activity_filter.is_valid():
        return render(
            request,
            "events/activity_list.html",
            {"filter": activity_filter, "upcoming": [], "page_obj": None},
            status=400,
        )
    filtered = activity_filter.qs
    upcoming = filtered.upcoming().order_by("starts_on", "pk")
    past = Paginator(filtered.past(), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "events/activity_list.html",
        {"filter": activity_filter, "upcoming": upcoming, "page_obj": past},
    )


@reader_page_cache
def activity_detail(request, slug):
    language = get_language()
    activity = get_object_or_404(
        Activity.objects.for_language(language)
        .for_listing()
        .prefetch_related("localities__translations", "associations__translations")
        .filter(translations__slug=slug, translations__language_code=language)
    )
    return render(
        request,
        "events/activity_detail.html",
        {
            "activity": activity,
            "articles": reader_articles(language).filter(activities=activity),
            "language_links": language_links(request, translated_urls(activity, "events:detail")),
        },
    )
