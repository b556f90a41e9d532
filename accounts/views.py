from base64 import b32encode

import segno
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.authenticators import authenticator_of, pending_authenticator_of
from accounts.forms import AuthenticatorCodeForm


@staff_member_required
def two_step_login(request):
    """Turn two-step login on (scan, then confirm with a first code) or off (with a code)."""
    device = authenticator_of(request.user)
    switching_on = device is None
    if switching_on:
        device = pending_authenticator_of(request.user)
    form = AuthenticatorCodeForm(device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        if switching_on:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            messages.success(request, _("Two-step login is on: from now on, log in with a code."))
        else:
            device.delete()
            messages.success(request, _("Two-step login is off for your account."))
        return redirect("two_step_login")
    context = {
        **admin.site.each_context(request),
        "title": _("Two-step login"),
        "switching_on": switching_on,
        "form": form,
    }
    if switching_on:
        context["qr_code"] = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
        secret = b32encode(device.bin_key).decode()
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(request, "accounts/two_step_login.html", context)
