"""The staff calendar feed (iCalendar, behind a secret address) and the admin page that
gives each staff member their address."""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from relations import ical
from relations.models import CalendarFeed, Occasion


def reads_occasions(user):
    """Whether ``user`` may read the desk's occasions: an active staff member with the
    permission (as in the admin, changing implies reading)."""
    return (
        user.is_active
        and user.is_staff
        and (user.has_perm("relations.view_occasion") or user.has_perm("relations.change_occasion"))
    )


def calendar_response(calendar):
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")


@require_safe
def staff_calendar(request, token):
    """The desk's occurrences from last year to the year after next, for calendar apps.

    No login: the token is the key. Every refusal (no such token, a replaced one, a
    deactivated account, a lost permission) is the same empty 404, so the answer never
    tells whether an address was ever valid, or whose it was.
    """
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not reads_occasions(feed.user):
        # Empty, and not HTML: no page that could differ from one refusal to another.
        return HttpResponseNotFound(content_type="text/plain; charset=utf-8")
    start, end = ical.feed_window(timezone.localdate())
    occurrences = (
        Occasion.objects.for_calendar()
        .select_related("responsible")
        .occurrences_between(start, end)
    )
    response = calendar_response(
        ical.staff_calendar(occurrences, host=request.get_host(), user_id=feed.user_id)
    )
    # Never kept by a shared cache (it is one person's), and checked again at every poll,
    # so a replaced address or a lost permission stops the feed at the app's next fetch;
    # apps that send If-None-Match still get a cheap 304 (ConditionalGetMiddleware).
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@staff_member_required
def my_calendar(request):
    """The staff member's own calendar address, how to subscribe, and a button to replace
    the address (the old one stops working at once)."""
    if not reads_occasions(request.user):
        raise PermissionDenied
    feed, _created = CalendarFeed.objects.get_or_create(user=request.user)
    if request.method == "POST":
        feed.replace_token()
        messages.success(
            request,
            _("Your calendar has a new address; the old one no longer works. Subscribe again."),
        )
        return redirect("relations:my_calendar")
    feed_url = request.build_absolute_uri(feed.get_absolute_url())
    public_urls = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            public_urls.append((name, request.build_absolute_uri(reverse("events:calendar"))))
    context = {
        **admin.site.each_context(request),
        "title": _("My calendar"),
        "feed_url": feed_url,
        "webcal_url": "webcal://" + feed_url.split("://", 1)[1],
        "public_urls": public_urls,
    }
    return render(request, "admin/relations/my_calendar.html", context)
