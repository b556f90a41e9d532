"""The project's URLs plus the floor: a plain view through the same middleware stack."""

from django.http import HttpResponse
from django.urls import path

from friendship_site.urls import urlpatterns as site_urlpatterns


def hello(request):
    return HttpResponse("Hello")


urlpatterns = [path("bench/hello/", hello, name="bench-hello"), *site_urlpatterns]
