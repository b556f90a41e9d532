"""Multilingual news articles. Each language edition has its own text, slug, credits and
publication state: publishing the English edition never publishes the Chinese one."""

import nh3
from django.conf import settings
from django.db import models
from django.db.models import Exists, FilteredRelation, OuterRef, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from parler.fields import TranslationsForeignKey
from parler.managers import TranslatableManager, TranslatableQuerySet
from parler.models import TranslatableModel, TranslatedFields, TranslatedFieldsModel

from events.models import Activity
from friendship_site.slugs import TranslatedSlugMixin
from organizations.models import Country, MemberAssociation, PartnerLocality


class Category(TranslatableModel):
    """A section of the news site: Society, Politics, Foreign affairs…"""

    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sections are listed in this order.")
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True, default=f"#{self.pk}")


class CategoryTranslation(TranslatedSlugMixin, TranslatedFieldsModel):
    master = TranslationsForeignKey(
        Category, related_name="translations", null=True, on_delete=models.CASCADE, editable=False
    )
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    slug_fallback = "category"

    class Meta(TranslatedSlugMixin.Meta):
        verbose_name = _("category translation")
        db_table = "articles_category_translation"


class Tag(TranslatableModel):
    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["pk"]

    def __str__(self):
        return self.safe_translation_getter("name", any_language=True, default=f"#{self.pk}")


class TagTranslation(TranslatedSlugMixin, TranslatedFieldsModel):
    master = TranslationsForeignKey(
        Tag, related_name="translations", null=True, on_delete=models.CASCADE, editable=False
    )
    name = models.CharField(_("name"), max_length=100)

    slug_fallback = "tag"

    class Meta(TranslatedSlugMixin.Meta):
        verbose_name = _("tag translation")
        db_table = "articles_tag_translation"


class Photo(TranslatableModel):
    """A picture used as a lead image or in galleries; stored once, used by many articles."""

    image = models.ImageField(
        _("image"), upload_to="photos/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("width"), editable=False, null=True)
    height = models.PositiveIntegerField(_("height"), editable=False, null=True)
    translations = TranslatedFields(
        caption=models.TextField(_("caption"), blank=True),
        alt_text=models.CharField(
            _("alternative text"),
            max_length=300,
            blank=True,
            help_text=_("What the picture shows, for readers who cannot see it."),
        ),
        credit=models.CharField(
            _("photo credit"),
            max_length=200,
            blank=True,
            help_text=_("As printed under the picture, e.g. “Photo: Huynh Thuy”."),
        ),
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-pk"]

    def __str__(self):
        caption = self.safe_translation_getter("caption", any_language=True, default="")
        return caption[:80] or self.image.name


class EditionStatus(models.TextChoices):
    """Where one language edition of an article stands in the editorial workflow."""

    DRAFT = "draft", pgettext_lazy("edition status", "Draft")
    IN_REVIEW = "in_review", pgettext_lazy("edition status", "In review")
    CHANGES_REQUESTED = "changes_requested", pgettext_lazy("edition status", "Changes requested")
    APPROVED = "approved", pgettext_lazy("edition status", "Approved")
    PUBLISHED = "published", pgettext_lazy("edition status", "Published")
    UNPUBLISHED = "unpublished", pgettext_lazy("edition status", "Unpublished")
    ARCHIVED = "archived", pgettext_lazy("edition status", "Archived")


# States in which an edition has been in front of readers: its address is fixed.
WAS_PUBLISHED = [EditionStatus.PUBLISHED, EditionStatus.UNPUBLISHED, EditionStatus.ARCHIVED]


class ArticleQuerySet(TranslatableQuerySet):
    """Reader-facing filters. An article is *in* a language when it has an edition in it.

    ``published()`` and ``for_language()`` compose in either order and then mean
    "published in that language": ``Article.objects.published().for_language("en")``
    and ``Article.objects.for_language("en").published()`` are the same articles.
    Alone, ``published()`` means published in at least one language.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._published_only = False

    def _clone(self):
        clone = super()._clone()
        clone._published_only = self._published_only
        return clone

    def _editions(self, language=None, **conditions):
        editions = ArticleTranslation.objects.filter(master=OuterRef("pk"), **conditions)
        if language:
            editions = editions.filter(language_code=language)
        return Exists(editions)

    def published(self, language=None):
        """Articles readers can see: the edition is published and its time has come.

        A scheduled edition (published with a future ``published_at``) appears by itself
        when its time comes, with no job to run.
        """
        language = language or self._language
        queryset = self.filter(
            self._editions(
                language, status=EditionStatus.PUBLISHED, published_at__lte=timezone.now()
            )
        )
        queryset._published_only = True
        return queryset

    def for_language(self, language):
        """Articles that have an edition in ``language``, returned in that language."""
        queryset = self.language(language).filter(self._editions(language))
        if self._published_only:
            queryset = queryset.published(language)
        return queryset

    def newest_first(self):
        """Order by the publication time of the edition in the queryset's language."""
        language = self._language or translation.get_language()
        return self.alias(
            edition=FilteredRelation(
                "translations", condition=Q(translations__language_code=language)
            )
        ).order_by(models.F("edition__published_at").desc(nulls_last=True), "-pk")

    def for_listing(self):
        return self.select_related("category", "lead_photo").prefetch_related(
            "translations", "category__translations", "lead_photo__translations"
        )


class Article(TranslatableModel):
    """A news report, written in one language and translated into the others."""

    source_language = models.CharField(
        _("source language"),
        max_length=15,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the report was written in; the others translate it."),
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="articles"
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="articles")
    lead_photo = models.ForeignKey(
        Photo,
        verbose_name=_("lead photo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead_of_articles",
    )
    activities = models.ManyToManyField(
        Activity, verbose_name=_("activities"), blank=True, related_name="articles"
    )
    localities = models.ManyToManyField(
        PartnerLocality,
        verbose_name=_("partner localities"),
        blank=True,
        related_name="articles",
    )
    associations = models.ManyToManyField(
        MemberAssociation,
        verbose_name=_("member associations"),
        blank=True,
        related_name="articles",
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("countries"), blank=True, related_name="articles"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = TranslatableManager.from_queryset(ArticleQuerySet)()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.safe_translation_getter("title", any_language=True, default=f"#{self.pk}")

    def get_absolute_url(self):
        """The page of the current language's edition, else of the first edition there is."""
        language = self.get_current_language()
        if not self.has_translation(language):
            language = next(iter(self.get_available_languages()), language)
        slug = self.safe_translation_getter("slug", language_code=language)
        with translation.override(language):
            return reverse("articles:detail", kwargs={"slug": slug})

    def is_published(self, language=None):
        """Whether readers of ``language`` (default: the current one) can see the article."""
        language = language or self.get_current_language()
        edition = self.get_translation(language) if self.has_translation(language) else None
        return edition is not None and edition.is_live()


class ArticleTranslation(TranslatedSlugMixin, TranslatedFieldsModel):
    """One language edition of an article: its text, credits and publication state."""

    master = TranslationsForeignKey(
        Article, related_name="translations", null=True, on_delete=models.CASCADE, editable=False
    )
    title = models.CharField(_("title"), max_length=300)
    lead = models.TextField(_("lead"), blank=True, help_text=_("The opening paragraph in bold."))
    body = models.TextField(_("body"), blank=True, help_text=_("HTML; unsafe markup is removed."))
    seo_description = models.CharField(
        _("search engine description"),
        max_length=300,
        blank=True,
        help_text=_("Shown by search engines and when the article is shared; about 160 letters."),
    )
    reporter_credit = models.CharField(
        _("reported by"), max_length=200, blank=True, help_text=_("e.g. Huynh Thuy")
    )
    translator_credit = models.CharField(
        _("translated by"), max_length=200, blank=True, help_text=_("e.g. Vi Bao")
    )
    source_url = models.URLField(
        _("originally published at"),
        max_length=500,
        blank=True,
        help_text=_("For reports republished from another newspaper or site."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EditionStatus.choices,
        default=EditionStatus.DRAFT,
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("A time in the future schedules the edition."),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    slug_source_field = "title"
    slug_fallback = "article"

    class Meta(TranslatedSlugMixin.Meta):
        verbose_name = _("article edition")
        verbose_name_plural = _("article editions")
        db_table = "articles_article_translation"
        indexes = [
            # Edition lists: "published in this language, newest first".
            models.Index(
                fields=["language_code", "status", "published_at"],
                name="articles_edition_listing",
            ),
        ]

    def __str__(self):
        return f"{self.title} [{self.language_code}]"

    def save(self, *args, **kwargs):
        # Sanitized on the way in, so templates can print the body as it is stored.
        self.body = nh3.clean(self.body)
        if self.status == EditionStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def is_live(self):
        return (
            self.status == EditionStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def slug_is_locked(self):
        return (
            self.pk is not None
            and type(self).objects.filter(pk=self.pk, status__in=WAS_PUBLISHED).exists()
        )

    @property
    def byline(self):
        """The credit line as the union prints it, in the edition's language."""
        with translation.override(self.language_code):
            if self.reporter_credit and self.translator_credit:
                return gettext("Reported by %(reporter)s – Translated by %(translator)s") % {
                    "reporter": self.reporter_credit,
                    "translator": self.translator_credit,
                }
            if self.reporter_credit:
                return gettext("Reported by %(reporter)s") % {"reporter": self.reporter_credit}
            if self.translator_credit:
                return gettext("Translated by %(translator)s") % {
                    "translator": self.translator_credit
                }
        return ""


class GalleryPhoto(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="gallery"
    )
    photo = models.ForeignKey(
        Photo, verbose_name=_("photo"), on_delete=models.PROTECT, related_name="gallery_uses"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("gallery photo")
        verbose_name_plural = _("gallery")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "photo"], name="articles_galleryphoto_unique_photo"
            ),
        ]

    def __str__(self):
        return str(self.photo)
