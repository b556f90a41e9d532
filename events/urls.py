from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("", views.activity_list, name="list"),
    path("calendar.ics", views.activity_calendar, name="calendar"),
    path("<slug:slug>/", views.activity_detail, name="detail"),
]
