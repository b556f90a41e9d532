"""Optional two-step login: a code from an authenticator app after the password."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"


@pytest.fixture
def editor(db):
    return UserFactory(username="editor")


@pytest.fixture
def authenticator(editor):
    return TOTPDevice.objects.create(user=editor, name="authenticator", confirmed=True)


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def log_in(client, code=""):
    return client.post(
        reverse("admin:login"),
        {"username": "editor", "password": PASSWORD, "otp_token": code},
    )


def test_without_two_step_login_the_password_is_enough(client, editor):
    assert log_in(client).status_code == 302


def test_with_two_step_login_the_password_alone_is_refused(client, authenticator):
    response = log_in(client)

    assert response.status_code == 200
    assert response.context["form"].errors["__all__"][0] != ""
    assert "_auth_user_id" not in client.session


def test_with_two_step_login_a_wrong_code_is_refused(client, authenticator):
    wrong = f"{(int(current_code(authenticator)) + 1) % 1_000_000:06d}"

    assert log_in(client, wrong).status_code == 200
    assert "_auth_user_id" not in client.session


def test_with_two_step_login_the_current_code_logs_in(client, authenticator):
    assert log_in(client, current_code(authenticator)).status_code == 302


def test_a_code_without_the_right_password_logs_nobody_in(client, authenticator):
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "wrong", "otp_token": current_code(authenticator)},
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_repeated_wrong_codes_throttle_the_authenticator(client, authenticator):
    for _attempt in range(3):
        log_in(client, "000000" if current_code(authenticator) != "000000" else "111111")

    # Right code, but the device now makes the guesser wait.
    assert log_in(client, current_code(authenticator)).status_code == 200


def test_an_authenticator_never_confirmed_does_not_guard_the_login(client, editor):
    TOTPDevice.objects.create(user=editor, name="authenticator", confirmed=False)

    assert log_in(client).status_code == 302


def test_setting_up_shows_a_qr_code_and_the_key(client, editor):
    client.force_login(editor)

    response = client.get(reverse("two_step_login"))

    device = TOTPDevice.objects.get(user=editor)
    assert not device.confirmed
    assert response.context["qr_code"].startswith("data:image/svg+xml")
    assert response.context["secret"].replace(" ", "") in device.config_url


def test_a_first_right_code_turns_two_step_login_on(client, editor):
    client.force_login(editor)
    client.get(reverse("two_step_login"))
    device = TOTPDevice.objects.get(user=editor)

    response = client.post(reverse("two_step_login"), {"code": current_code(device)})

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_a_wrong_first_code_leaves_two_step_login_off(client, editor):
    client.force_login(editor)
    client.get(reverse("two_step_login"))

    response = client.post(reverse("two_step_login"), {"code": "12"})

    assert response.status_code == 200
    assert not TOTPDevice.objects.get(user=editor).confirmed


def test_a_wrong_code_does_not_turn_two_step_login_off(client, authenticator):
    client.force_login(authenticator.user)

    client.post(reverse("two_step_login"), {"code": "12"})

    assert TOTPDevice.objects.filter(pk=authenticator.pk).exists()


def test_the_current_code_turns_two_step_login_off(client, authenticator):
    client.force_login(authenticator.user)

    client.post(reverse("two_step_login"), {"code": current_code(authenticator)})

    assert not TOTPDevice.objects.filter(pk=authenticator.pk).exists()


def test_two_step_login_page_is_for_staff_only(client):
    response = client.get(reverse("two_step_login"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
