import datetime

from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import get_language

from articles.views import reader_articles
from events.filters import ActivityFilter
from events.models import Activity
from friendship_site.cache import reader_page_cache
from friendship_site.i18n import language_links, translated_urls, with_translation
from friendship_site.pagination import ListPage
from organizations.models import MemberAssociation, PartnerLocality
from relations import ical
from relations.models import Occasion

PAST_PER_PAGE = 20
# A union plans a few events a month; a longer list would bury the past ones.
UPCOMING_SHOWN = 30


@reader_page_cache
def activity_list(request):
    language = get_language()
    activities = Activity.objects.for_language(language)
    activity_filter = ActivityFilter(request.GET, queryset=activities, language=language)
    if not activity_filter.is_valid():
        return render(
            request,
            "events/activity_list.html",
            {"filter": activity_filter, "upcoming": [], "page_obj": None},
            status=400,
        )
    filtered = activity_filter.qs
    upcoming = filtered.upcoming()[:UPCOMING_SHOWN]
    past = ListPage.from_request(
        request, filtered.past().order_by("-starts_on", "-pk"), PAST_PER_PAGE
    )
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
        .prefetch_related(
            "translations",
            Prefetch(
                "localities", queryset=with_translation(PartnerLocality.objects.all(), language)
            ),
            Prefetch(
                "associations", queryset=with_translation(MemberAssociation.objects.all(), language)
            ),
        )
        .filter(translations__slug=slug, translations__language_code=language)
    )
    return render(
        request,
        "events/activity_detail.html",
        {
            "activity": activity,
            "articles": reader_articles(language).filter(master__activities=activity).as_cards(),
            "language_links": language_links(request, translated_urls(activity, "events:detail")),
        },
    )


@reader_page_cache
def activity_calendar(request):
    """The public iCalendar feed: activities described in the page's language, from a
    year ago on, and the occasions the desk made public, for anyone's calendar app.

    Kept in the reader page cache like the list: public occasions do not clear that cache
    when they change, but no page is kept longer than five minutes
    (friendship_site/cache.py), far shorter than calendar apps' polling.
    """
    language = get_language()
    today = timezone.localdate()
    since = today - datetime.timedelta(days=365)
    activities = (
        Activity.objects.for_language(language)
        .filter(starts_on__gte=since)
        .order_by("starts_on", "pk")
    )
    occurrences = (
        Occasion.objects.filter(is_public=True)
        .for_calendar()
        .occurrences_between(since, ical.feed_window(today)[1])
    )
    calendar = ical.public_calendar(
        activities,
        occurrences,
        host=request.get_host(),
        language=language,
        absolute_url=request.build_absolute_uri,
    )
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
