from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from friendship_site import views

admin.site.site_header = _("Newsroom of the Union of Friendship Organizations")
admin.site.site_title = _("Friendship newsroom")
admin.site.index_title = _("Newsroom desk")

# The admin and the language switcher stay outside the language prefix; every public page
# is under /vi/, /en/ or /zh-hans/ ("/" redirects to /vi/ through LocaleMiddleware).
urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("articles/", include("articles.urls")),
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
