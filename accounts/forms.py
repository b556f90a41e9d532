from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.authenticators import authenticator_of, code_matches


def code_field():
    return forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class AdminLoginForm(AdminAuthenticationForm):
    """The admin's login: password, then the authenticator's code for those who turned
    two-step login on. The code is asked for only once the password is right, so the form
    never tells a stranger who has two-step login."""

    otp_token = code_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["otp_token"].required = False
        self.fields["otp_token"].help_text = _("Only if you turned on two-step login.")

    def clean(self):
        cleaned_data = super().clean()
        device = authenticator_of(self.user_cache)
        if device is None:
            return cleaned_data
        code = cleaned_data.get("otp_token", "")
        if not code:
            raise forms.ValidationError(
                _("Two-step login is on for this account: enter the code from your app."),
                code="code_required",
            )
        if not code_matches(device, code):
            raise forms.ValidationError(
                _("That code is wrong or has expired. Enter the code your app shows now."),
                code="code_wrong",
            )
        return cleaned_data


class AuthenticatorCodeForm(forms.Form):
    """A code from the authenticator ``device``: confirms it when setting up, or proves the
    person still holds it before two-step login is turned off."""

    code = code_field()

    def __init__(self, device, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not code_matches(self.device, code):
            raise forms.ValidationError(
                _("That code is wrong or has expired. Enter the code your app shows now."),
                code="code_wrong",
            )
        return code
