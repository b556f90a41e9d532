from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from articles import feeds
from friendship_site import views
from friendship_site.cache import reader_page_cache
from friendship_site.sitemaps import SITEMAPS

# Uncaught exceptions: a 503 while the database is away, else the usual 500.
handler500 = views.server_error

admin.site.site_header = _("Newsroom of the Union of Friendship Organizations")
admin.site.site_title = _("Friendship newsroom")
admin.site.index_title = _("Newsroom desk")

# The admin and the language switcher stay outside the language prefix; every public page
# is under /vi/, /en/ or /zh-hans/ ("/" redirects to /vi/ through LocaleMiddleware).
urlpatterns = [
    path("", include("reports.urls")),
    # The staff's calendar feeds (/calendar/<token>.ics) and their admin page, before the
    # admin's own addresses.
    path("", include("relations.urls")),
    # Staff account pages (two-step login) under admin/, before the admin's own addresses.
    path("admin/", include("accounts.urls")),
    # The translation desk's XLIFF export and import pages, likewise.
    path("admin/", include("translation_desk.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Outside the language prefix, where crawlers and load balancers look for them. The
    # sitemap is an index of section pages (a file may hold 50,000 URLs); they share the
    # reader pages' cache: cleared when an editor acts, kept no longer than the next
    # scheduled publication, so they always agree with the pages.
    path(
        "sitemap.xml",
        reader_page_cache(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        reader_page_cache(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("healthz", views.healthz, name="healthz"),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("articles.urls")),
    path("feed/", feeds.LatestArticlesFeed(), name="feed"),
    path("feed/atom/", feeds.LatestArticlesAtomFeed(), name="feed_atom"),
    path("categories/<slug:slug>/feed/", feeds.CategoryFeed(), name="category_feed"),
    path("categories/<slug:slug>/feed/atom/", feeds.CategoryAtomFeed(), name="category_feed_atom"),
    path("search/", include("search.urls")),
    path("", include("organizations.urls")),
    path("events/", include("events.urls")),
)
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
