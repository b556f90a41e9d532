"""Small pieces of the site's defences that settings alone cannot express (docs/security.md)."""

from django.conf import settings
from django.shortcuts import render


def client_ip_address(request):
    """The address a login attempt came from, as django-axes counts failures by it.

    Behind the TLS proxy every request comes from the proxy; its X-Forwarded-For ends with
    the address it saw. That header is believed only from an address gunicorn also trusts
    (FORWARDED_ALLOW_IPS); anyone else could write any address in it and never be locked out.
    """
    peer = request.META.get("REMOTE_ADDR", "")
    trusted = settings.FORWARDED_ALLOW_IPS
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and ("*" in trusted or peer in trusted):
        return forwarded.split(",")[-1].strip() or peer
    return peer


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: our page, in the admin's language, 429."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "admin/locked_out.html", {"minutes": minutes}, status=429)
