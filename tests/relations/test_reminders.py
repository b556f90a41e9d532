"""manage.py send_occasion_reminders: N days before, to the right people, never twice."""

import datetime
import smtplib
import threading
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from relations import reminders
from relations.models import OccasionDone, OccasionReminder, SuggestedAction, anniversary_label
from relations.reminders import due_reminders, send_once, send_reminders
from tests.factories import OccasionFactory, UserFactory

pytestmark = pytest.mark.django_db

# The Occasion is on 2 December (OccasionFactory: counted from 1975), reminded 14 days before.
REMINDER_DAY = "2025-11-18"
DAY_ITSELF = "2025-12-02"


class RefusingMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def change_occasion():
    return Permission.objects.get(content_type__app_label="relations", codename="change_occasion")


def desk_editor(username, **kwargs):
    user = UserFactory(username=username, **kwargs)
    user.user_permissions.add(change_occasion())
    return user


def run(day, *args):
    out = StringIO()
    call_command("send_occasion_reminders", "--date", day, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def responsible():
    return UserFactory(username="lan")


@pytest.fixture
def occasion(responsible):
    return OccasionFactory(
        name="National Day of Laos",
        responsible=responsible,
        remind_days_before=14,
        suggested_action=SuggestedAction.FLOWERS,
    )


def test_reminder_goes_to_the_responsible_on_the_reminder_day(occasion):
    run(REMINDER_DAY)

    assert [message.to for message in mail.outbox] == [["lan@newsroom.example"]]
    assert "National Day of Laos" in mail.outbox[0].subject


def test_reminder_names_the_round_anniversary(occasion):
    run(REMINDER_DAY)  # 1975 -> 2025: 50 years

    # In the desk's language, Vietnamese: users have no language of their own.
    with translation.override("vi"):
        assert anniversary_label(50) in mail.outbox[0].subject


def test_reminder_gives_the_suggested_action(occasion):
    run(REMINDER_DAY)

    with translation.override("vi"):
        assert str(SuggestedAction.FLOWERS.label) in mail.outbox[0].body


def test_reminder_links_the_desk_calendar_at_the_sites_address(occasion, settings):
    settings.SITE_URL = "https://hoihuunghi.example"

    run(REMINDER_DAY)

    assert "https://hoihuunghi.example/admin/relations/occasion/" in mail.outbox[0].body


def test_without_a_responsible_the_desk_editors_are_reminded():
    desk_role = Group.objects.create(name="Desk test role")
    desk_role.permissions.add(change_occasion())
    UserFactory(username="by_role").groups.add(desk_role)
    desk_editor("direct")
    UserFactory(username="reader_only")
    OccasionFactory(remind_days_before=14)

    run(REMINDER_DAY)

    assert sorted(message.to[0] for message in mail.outbox) == [
        "by_role@newsroom.example",
        "direct@newsroom.example",
    ]


def test_a_deactivated_responsible_is_replaced_by_the_desk_editors(occasion, responsible):
    responsible.is_active = False
    responsible.save()
    desk_editor("editor")

    run(REMINDER_DAY)

    assert [message.to for message in mail.outbox] == [["editor@newsroom.example"]]


def test_no_reminder_before_the_reminder_day(occasion):
    run("2025-11-17")

    assert mail.outbox == []


def test_a_missed_reminder_day_is_caught_up_later(occasion):
    run("2025-11-25")

    assert len(mail.outbox) == 1


def test_reminder_is_still_sent_on_the_day_itself(occasion):
    run(DAY_ITSELF)

    assert len(mail.outbox) == 1


def test_no_reminder_after_the_day(occasion):
    run("2025-12-03")

    assert mail.outbox == []


def test_no_reminder_for_an_occasion_done_this_year(occasion, responsible):
    OccasionDone.objects.create(occasion=occasion, year=2025, done_by=responsible)

    run(REMINDER_DAY)

    assert mail.outbox == []


def test_done_last_year_does_not_silence_this_year(occasion, responsible):
    OccasionDone.objects.create(occasion=occasion, year=2024, done_by=responsible)

    run(REMINDER_DAY)

    assert len(mail.outbox) == 1


def test_zero_days_before_means_no_reminder(occasion):
    occasion.remind_days_before = 0
    occasion.save()

    run(DAY_ITSELF)

    assert mail.outbox == []


def test_a_second_run_the_same_day_sends_nothing(occasion):
    run(REMINDER_DAY)
    run(REMINDER_DAY)

    assert len(mail.outbox) == 1
    assert OccasionReminder.objects.count() == 1


def test_runs_on_the_following_days_send_nothing_more(occasion):
    for day in ["2025-11-18", "2025-11-19", "2025-11-20", DAY_ITSELF]:
        run(day)

    assert len(mail.outbox) == 1


def test_next_year_is_reminded_again(occasion):
    run(REMINDER_DAY)
    run("2026-11-18")

    assert len(mail.outbox) == 2


def test_a_reminder_recorded_by_another_run_meanwhile_is_not_sent(occasion, responsible):
    (reminder,) = due_reminders(datetime.date(2025, 11, 18))
    # Another run, at the same time, records the same reminder first.
    OccasionReminder.objects.create(occasion=occasion, year=2025, recipient=responsible)

    assert send_once(reminder, datetime.date(2025, 11, 18)) is False
    assert mail.outbox == []


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_send_once(occasion, monkeypatch):
    both_looked = threading.Barrier(2, timeout=10)
    look = reminders.due_reminders

    def look_then_wait(today):
        found = look(today)
        both_looked.wait()  # each run has found the reminder unsent
        return found

    monkeypatch.setattr(reminders, "due_reminders", look_then_wait)
    sent = []

    def run_at_the_same_time():
        try:
            sent.append(len(send_reminders(datetime.date(2025, 11, 18)).sent))
        finally:
            connection.close()

    runs = [threading.Thread(target=run_at_the_same_time) for _ in range(2)]
    for thread in runs:
        thread.start()
    for thread in runs:
        thread.join()

    assert sorted(sent) == [0, 1]
    assert len(mail.outbox) == 1


def test_a_failed_sending_is_not_recorded_and_the_next_run_sends(occasion, settings):
    locmem = settings.MAILERS
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingMailServer"}}

    with pytest.raises(CommandError, match="1 reminders could not be sent"):
        run(REMINDER_DAY)
    assert not OccasionReminder.objects.exists()

    settings.MAILERS = locmem
    run("2025-11-19")
    assert len(mail.outbox) == 1
    assert OccasionReminder.objects.count() == 1


def test_dry_run_lists_without_sending_or_recording(occasion):
    output = run(REMINDER_DAY, "--dry-run")

    assert "National Day of Laos" in output
    assert mail.outbox == []
    assert not OccasionReminder.objects.exists()
