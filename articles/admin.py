from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from parler.admin import TranslatableAdmin

from articles.models import Article, Category, GalleryPhoto, Photo, Tag
from friendship_site.admin import PrefetchingAdminMixin, TranslatedRelatedFieldListFilter


@admin.register(Category)
class CategoryAdmin(PrefetchingAdminMixin, TranslatableAdmin):
    list_display = ["__str__", "position", "language_column"]
    list_editable = ["position"]
    search_fields = ["translations__name"]
    fields = ["name", "slug", "description", "position"]


@admin.register(Tag)
class TagAdmin(PrefetchingAdminMixin, TranslatableAdmin):
    list_display = ["__str__", "language_column"]
    search_fields = ["translations__name"]
    fields = ["name", "slug"]


@admin.register(Photo)
class PhotoAdmin(PrefetchingAdminMixin, TranslatableAdmin):
    list_display = ["thumbnail", "__str__", "width", "height", "language_column"]
    search_fields = ["translations__caption", "translations__credit"]
    fields = ["image", "caption", "alt_text", "credit"]

    @admin.display(description=_("preview"))
    def thumbnail(self, photo):
        if not photo.image:
            return "–"
        return format_html('<img src="{}" alt="" style="max-height:60px">', photo.image.url)


class GalleryPhotoInline(admin.TabularInline):
    model = GalleryPhoto
    extra = 0
    autocomplete_fields = ["photo"]


@admin.register(Article)
class ArticleAdmin(PrefetchingAdminMixin, TranslatableAdmin):
    list_display = ["__str__", "category", "editions"]
    list_filter = [
        ("category", TranslatedRelatedFieldListFilter),
        "source_language",
        "translations__status",
        ("tags", TranslatedRelatedFieldListFilter),
    ]
    search_fields = ["translations__title", "translations__lead"]
    list_prefetch_related = ["category__translations"]
    autocomplete_fields = [
        "category",
        "tags",
        "lead_photo",
        "activities",
        "localities",
        "associations",
        "countries",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "lead", "body"]}),
        (_("Credits"), {"fields": ["reporter_credit", "translator_credit", "source_url"]}),
        (_("Publication of this language"), {"fields": ["status", "published_at"]}),
        (_("Classification"), {"fields": ["source_language", "category", "tags", "lead_photo"]}),
        (
            _("What the article reports on"),
            {"fields": ["activities", "localities", "associations", "countries"]},
        ),
        (_("Search engines"), {"fields": ["seo_description"]}),
    ]
    inlines = [GalleryPhotoInline]

    @admin.display(description=_("editions"))
    def editions(self, article):
        """Each language's state at a glance: "vi: Published · en: Draft"."""
        return " · ".join(
            f"{edition.language_code}: {edition.get_status_display()}"
            for edition in article.translations.all()
        )
