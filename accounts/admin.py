from django.contrib import admin

from accounts.forms import AdminLoginForm

# The one admin site logs in through the form that asks for the authenticator's code.
admin.site.login_form = AdminLoginForm
