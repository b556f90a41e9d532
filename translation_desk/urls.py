"""The translation desk's own admin pages, mounted under admin/ before the admin's own
addresses (friendship_site/urls.py)."""

from django.urls import path

from translation_desk import views

app_name = "translation_desk"
urlpatterns = [
    path("translation-desk/export/", views.export_xliff, name="xliff_export"),
    path("translation-desk/import/", views.import_xliff, name="xliff_import"),
]
