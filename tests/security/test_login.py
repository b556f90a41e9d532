"""Admin login: throttled against guessing, strong passwords, sessions that end
(docs/security.md, "Accounts")."""

import datetime
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from friendship_site.security import client_ip_address
from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"
OFFICE = "203.0.113.10"
ELSEWHERE = "198.51.100.20"


@pytest.fixture
def editor(db):
    return UserFactory(username="editor")


def log_in(client, username, password, address=OFFICE):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def fail(client, username, times, address=OFFICE):
    """Wrong passwords, ``times`` over; the answer to the last one."""
    for _attempt in range(times):
        response = log_in(client, username, "wrong-password", address)
    return response


def test_right_password_logs_in(client, editor):
    response = log_in(client, "editor", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_fifth_wrong_password_is_answered_with_the_lockout_page(client, editor):
    assert fail(client, "editor", 4).status_code == 200

    assert fail(client, "editor", 1).status_code == 429


def test_five_wrong_passwords_lock_the_account_out_from_that_address(client, editor):
    fail(client, "editor", 5)

    response = log_in(client, "editor", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "15" in response.content.decode()


def test_four_wrong_passwords_do_not_lock(client, editor):
    fail(client, "editor", 4)

    assert log_in(client, "editor", PASSWORD).status_code == 302


def test_lockout_keeps_the_same_username_usable_from_another_address(client, editor):
    # A stranger guessing an editor's password must not lock the editor out everywhere.
    fail(client, "editor", 5, address=ELSEWHERE)

    assert log_in(client, "editor", PASSWORD, address=OFFICE).status_code == 302


def test_lockout_keeps_other_accounts_of_the_same_office_usable(client, editor):
    UserFactory(username="translator")
    fail(client, "editor", 5)

    assert log_in(client, "translator", PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off(client, editor):
    fail(client, "editor", 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))

    assert log_in(client, "editor", PASSWORD).status_code == 302


def test_successful_login_forgets_earlier_failures(client, editor):
    fail(client, "editor", 4)
    log_in(client, "editor", PASSWORD)
    client.logout()

    fail(client, "editor", 4)

    assert log_in(client, "editor", PASSWORD).status_code == 302


def test_unknown_usernames_are_throttled_like_known_ones(client, db):
    # Otherwise the answer would tell which usernames exist.
    fail(client, "nobody", 5)

    assert log_in(client, "nobody", "anything").status_code == 429


@pytest.mark.parametrize(
    ("peer", "forwarded", "expected"),
    [
        ("127.0.0.1", "198.51.100.20", "198.51.100.20"),
        ("127.0.0.1", "6.6.6.6, 198.51.100.20", "198.51.100.20"),
        ("203.0.113.10", "198.51.100.20", "203.0.113.10"),
        ("127.0.0.1", "", "127.0.0.1"),
    ],
    ids=["proxy", "proxy-after-spoofed-entry", "untrusted-peer", "no-header"],
)
def test_login_address_believes_forwarded_for_only_from_the_proxy(peer, forwarded, expected):
    request = RequestFactory().post("/admin/login/", REMOTE_ADDR=peer)
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded

    assert client_ip_address(request) == expected


@pytest.mark.parametrize(
    "password",
    ["short1!", "password123", "1234567890123", "editor-newsroom"],
    ids=["too-short", "common", "numeric", "like-the-username"],
)
def test_weak_passwords_are_refused(db, password):
    user = UserFactory(username="editor-newsroom")

    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_uncommon_password_is_accepted(db):
    validate_password("Hữu nghị Việt–Lào 1962", UserFactory(username="editor"))


def test_session_ends_after_eight_idle_hours(client, editor):
    log_in(client, "editor", PASSWORD)
    Session.objects.update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    # With Redis, sessions are read from the cache first (cached_db); its copy expires at
    # the same moment, by its own timeout.
    cache.clear()

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def session_expires_in_an_hour():
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(hours=1))
    cache.clear()  # the cached copy of a cached_db session (Redis)


def remaining_session_time():
    return Session.objects.get().expire_date - timezone.now()


def test_a_request_some_minutes_later_extends_the_session(client, editor, monkeypatch):
    log_in(client, "editor", PASSWORD)
    session_expires_in_an_hour()
    six_minutes_later = time.time() + 6 * 60
    monkeypatch.setattr("friendship_site.middleware.time.time", lambda: six_minutes_later)

    client.get(reverse("admin:index"))

    assert remaining_session_time() > datetime.timedelta(hours=7, minutes=59)


def test_requests_close_together_write_the_session_once(client, editor):
    log_in(client, "editor", PASSWORD)
    session_expires_in_an_hour()

    client.get(reverse("admin:index"))

    assert remaining_session_time() < datetime.timedelta(hours=1, minutes=1)


def test_session_cookie_ends_with_the_browser(client, editor):
    response = log_in(client, "editor", PASSWORD)

    assert response.cookies["sessionid"]["expires"] == ""
    assert response.cookies["sessionid"]["max-age"] == ""
