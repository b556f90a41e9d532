from django.urls import path

from organizations import views

app_name = "organizations"

urlpatterns = [
    path("about/", views.union_detail, name="union"),
    path("associations/<slug:slug>/", views.association_detail, name="association"),
    path("partners/", views.locality_list, name="localities"),
    path("partners/<slug:slug>/", views.locality_detail, name="locality"),
    path("countries/<str:code>/", views.country_detail, name="country"),
]
