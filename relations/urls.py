"""The staff calendar feed, outside the language prefix, and the admin page giving each
staff member its address. Included before the admin's own URLs (friendship_site/urls.py),
so /admin/relations/my-calendar/ reaches its view first."""

from django.urls import path

from relations import views

app_name = "relations"
urlpatterns = [
    # The token: secrets.token_urlsafe, letters, digits, "-" and "_" (a slug).
    path("calendar/<slug:token>.ics", views.staff_calendar, name="staff_calendar"),
    path("admin/relations/my-calendar/", views.my_calendar, name="my_calendar"),
]
