"""iCalendar (RFC 5545) feeds: the desk's occasions for its staff, and the public calendar
of activities and public occasions. Built and folded by the ``icalendar`` library.

Occasions and activities are all-day events (DTSTART;VALUE=DATE, DTEND the day after),
marked transparent: a national day must not show a staff member as busy.

Occurrences whose day is not known (agreements "signed in 2015", "in August 2024") are
kept, on the first day of their month or year, with "day not known" in their title:
those are often the very anniversaries the desk prepares for (Binh Duong – Daejeon, 20
years in 2025), and a calendar that left them out would hide them; the title says the
day is not a real one.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration

from friendship_site.dates import DatePrecision, format_partial_date

PRODID = "-//Union of Friendship Organizations//Relations desk//EN"
# How often calendar apps are asked to fetch the feed again (RFC 7986; Outlook reads the
# older X-PUBLISHED-TTL). The dates change rarely; many apps poll less often anyway.
REFRESH_INTERVAL = datetime.timedelta(hours=6)


def feed_window(today):
    """From the first of January last year to the end of the year after next."""
    return datetime.date(today.year - 1, 1, 1), datetime.date(today.year + 2, 12, 31)


def occurrence_name(occurrence):
    """The occasion's title, with this year's anniversary when it is round."""
    if not occurrence.is_anniversary:
        return occurrence.occasion.title
    return _("%(occasion)s – %(anniversary)s") % {
        "occasion": occurrence.occasion.title,
        "anniversary": occurrence.anniversary,
    }


def with_unknown_day(summary, day, precision):
    if precision == DatePrecision.DAY:
        return summary
    return _("%(summary)s (%(known)s, day not known)") % {
        "summary": summary,
        "known": format_partial_date(day, precision),
    }


def new_calendar(name, uid):
    calendar = Calendar.new(prodid=PRODID, calscale="GREGORIAN", name=name, uid=uid, version="2.0")
    calendar.add("REFRESH-INTERVAL", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL).to_ical().decode())
    return calendar


def all_day_event(*, uid, first, last, summary, stamp, **properties):
    return Event.new(
        uid=uid,
        start=first,
        end=last + datetime.timedelta(days=1),  # DTEND is exclusive (RFC 5545, 3.6.1)
        summary=summary,
        stamp=stamp,
        transparency="TRANSPARENT",
        **properties,
    )


def occurrence_event(occurrence, *, host, stamp, details):
    """One VEVENT; ``details`` adds what only the desk may read (action, responsible)."""
    occasion = occurrence.occasion
    description = []
    if details:
        if occasion.suggested_action:
            description.append(
                _("Suggested action: %(action)s.")
                % {"action": occasion.get_suggested_action_display()}
            )
        if occasion.responsible:
            description.append(
                _("Responsible: %(person)s")
                % {
                    "person": occasion.responsible.get_full_name()
                    or occasion.responsible.get_username()
                }
            )
        if occasion.source:
            description.append(_("Source: %(source)s") % {"source": occasion.source})
    return all_day_event(
        # One per occasion and year: an app that reads the feed again updates the event
        # rather than adding a second one.
        uid=f"occasion-{occasion.pk}-{occurrence.on.year}@{host}",
        first=occurrence.on,
        last=occurrence.on,
        summary=with_unknown_day(
            occurrence_name(occurrence), occurrence.on, occasion.date_precision
        ),
        stamp=stamp,
        categories=[occasion.get_kind_display()],
        description="\n".join(description) or None,
    )


def staff_calendar(occurrences, *, host, user_id):
    """The desk's occurrences, with their suggested action, source and responsible."""
    calendar = new_calendar(_("Relations desk"), uid=f"relations-desk-{user_id}@{host}")
    stamp = timezone.now()
    for occurrence in occurrences:
        calendar.add_component(occurrence_event(occurrence, host=host, stamp=stamp, details=True))
    return calendar


def public_calendar(activities, occurrences, *, host, language, absolute_url):
    """Activities (in ``language``, linked to their page through ``absolute_url``) and
    public occasions, without the desk's notes."""
    calendar = new_calendar(
        _("Union of Friendship Organizations: events"), uid=f"events-{language}@{host}"
    )
    stamp = timezone.now()
    for activity in activities:
        calendar.add_component(
            all_day_event(
                uid=f"activity-{activity.pk}@{host}",
                first=activity.starts_on,
                last=activity.ends_on or activity.starts_on,
                summary=with_unknown_day(
                    activity.title, activity.starts_on, activity.date_precision
                ),
                stamp=stamp,
                categories=[activity.get_activity_type_display()],
                location=activity.place or None,
                description=activity.summary or None,
                url=absolute_url(activity.get_absolute_url()),
            )
        )
    for occurrence in occurrences:
        calendar.add_component(occurrence_event(occurrence, host=host, stamp=stamp, details=False))
    return calendar
