"""The reports' pages in the admin. Included before the admin's own URLs (see
friendship_site/urls.py), so /admin/reports/… reaches these views first."""

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("admin/reports/yearly-summary/", views.yearly_summary, name="yearly_summary"),
]
