"""Reminder e-mails of the relations desk: sent ``remind_days_before`` an occurrence, to
the occasion's responsible or, when there is none, to the desk's editors; never twice.

Run once a day (``manage.py send_occasion_reminders``). A day the command did not run is
caught up: an occurrence is due from its reminder day until the day itself, and each
reminder is recorded (``OccasionReminder``, unique per occasion, year and recipient)
before it is sent, so another run, even one running at the same time, skips it.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Max
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from articles.roles import users_with_permission
from relations.ical import occurrence_name
from relations.models import Occasion, OccasionDone, OccasionReminder, Occurrence

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    occurrence: Occurrence
    recipient: object  # a user
    # The recipient is responsible for the occasion (else: one of the desk's editors).
    responsible: bool

    @property
    def key(self):
        return (self.occurrence.occasion.pk, self.occurrence.on.year, self.recipient.pk)


@dataclass
class ReminderRun:
    sent: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (Reminder, error)


def desk_editors():
    """Active users, with an e-mail address, who may change occasions (through their role
    or directly, superusers included)."""
    return users_with_permission("change_occasion", "relations").exclude(email="").order_by("pk")


def reachable(user):
    return user is not None and user.is_active and bool(user.email)


def due_reminders(today):
    """The reminders to send on ``today`` that were not sent yet: for every occurrence
    whose reminder day is ``today`` or earlier while the occurrence itself is ``today`` or
    later, not marked done for its year."""
    occasions = Occasion.objects.filter(remind_days_before__gt=0)
    longest = occasions.aggregate(longest=Max("remind_days_before"))["longest"]
    if longest is None:
        return []
    occurrences = [
        occurrence
        for occurrence in occasions.for_calendar()
        .select_related("responsible")
        .occurrences_between(today, today + datetime.timedelta(days=longest))
        if occurrence.on - datetime.timedelta(days=occurrence.occasion.remind_days_before) <= today
    ]
    if not occurrences:
        return []
    occasion_ids = {occurrence.occasion.pk for occurrence in occurrences}
    done = set(
        OccasionDone.objects.filter(occasion__in=occasion_ids).values_list("occasion", "year")
    )
    sent = set(
        OccasionReminder.objects.filter(occasion__in=occasion_ids).values_list(
            "occasion", "year", "recipient"
        )
    )
    editors = None
    reminders = []
    for occurrence in occurrences:
        if (occurrence.occasion.pk, occurrence.on.year) in done:
            continue
        responsible = occurrence.occasion.responsible
        # A responsible who left (deactivated) or has no address would never read it: the
        # desk's editors get it instead, as when no one is responsible.
        if reachable(responsible):
            recipients, is_responsible = [responsible], True
        else:
            if editors is None:
                editors = list(desk_editors())
            recipients, is_responsible = editors, False
        for recipient in recipients:
            reminder = Reminder(occurrence, recipient, is_responsible)
            if reminder.key not in sent:
                reminders.append(reminder)
    return reminders


def send_reminders(today, *, dry_run=False):
    """Send the reminders due on ``today`` (none with ``dry_run``); returns what was sent
    and what failed. A failed one is not recorded, so the next run tries it again."""
    # The desk works in Vietnamese (as articles/notifications.py writes): users have no
    # language of their own.
    with translation.override(settings.LANGUAGE_CODE):
        run = ReminderRun()
        for reminder in due_reminders(today):
            if dry_run:
                run.sent.append(reminder)
                continue
            try:
                if send_once(reminder, today):
                    run.sent.append(reminder)
            except OSError as error:  # smtplib's errors, a refused connection
                run.failed.append((reminder, error))
        return run


def send_once(reminder, today):
    """Record ``reminder``, then send it. True when sent, False when another run had
    recorded it already; when sending fails, the record is removed and the error raised."""
    occasion, year, recipient = (
        reminder.occurrence.occasion,
        reminder.occurrence.on.year,
        reminder.recipient,
    )
    # The unique constraint decides between two runs at the same time: only the one whose
    # row was created sends. The row is committed before the mail leaves, so no database
    # lock is held while the mail server answers.
    record, created = OccasionReminder.objects.get_or_create(
        occasion=occasion, year=year, recipient=recipient
    )
    if not created:
        return False
    sent = False
    try:
        subject, body = compose(reminder, today)
        send_mail(subject=subject, message=body, from_email=None, recipient_list=[recipient.email])
        sent = True
    finally:
        if not sent:
            logger.error("Reminder of %s (%s) to %s not sent", occasion, year, recipient)
            record.delete()
    return True


def desk_calendar_url():
    # A reminder is sent outside any request: the site's address can only come from
    # settings (SITE_URL, e.g. https://hoihuunghi.example); without it the link is a path.
    return settings.SITE_URL + reverse("admin:relations_occasion_calendar")


def compose(reminder, today):
    """The reminder's subject and body, in the active language."""
    occurrence = reminder.occurrence
    occasion = occurrence.occasion
    name = occurrence_name(occurrence)
    day = occurrence.on_display
    subject = _("Reminder: %(occasion)s, %(day)s") % {"occasion": name, "day": day}
    subject = " ".join(subject.split())  # a header: a line break in a name would refuse it
    days_left = (occurrence.on - today).days
    if not occurrence.day_known:
        when = _("The exact day is not known.")
    elif days_left == 0:
        when = _("That is today.")
    else:
        when = ngettext("That is in %(days)d day.", "That is in %(days)d days.", days_left) % {
            "days": days_left
        }
    lines = [_("%(occasion)s: %(day)s.") % {"occasion": name, "day": day} + " " + when]
    if occasion.suggested_action:
        lines.append(
            _("Suggested action: %(action)s.") % {"action": occasion.get_suggested_action_display()}
        )
    if occasion.source:
        lines.append(_("Source: %(source)s") % {"source": occasion.source})
    lines += [
        "",
        _("Once it is done, mark it done in the desk's calendar:"),
        desk_calendar_url(),
        "",
        _("You receive this reminder because you are responsible for this occasion.")
        if reminder.responsible
        else _(
            "You receive this reminder because no one is responsible for this occasion and "
            "you may change the desk's occasions."
        ),
    ]
    return subject, "\n".join(lines)
