"""Two-step login: a staff member's authenticator app, as django-otp's TOTP device.

No model of our own: the rules about the one device a person keeps.
"""

from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator_of(user):
    """The confirmed authenticator app of ``user``, or None when two-step login is off."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_authenticator_of(user):
    """The authenticator being set up: a new secret, kept until a first code confirms it."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def code_matches(device, code):
    """Whether ``code`` is the device's current one. django-otp throttles a device after
    failures (doubling waits), so guessing the six digits is out of reach."""
    allowed, _reason = device.verify_is_allowed()
    return allowed and device.verify_token(code.strip().replace(" ", ""))
