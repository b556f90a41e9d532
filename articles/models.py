"""Multilingual news articles. Each language edition has its own text, slug, credits and
publication state: publishing the English edition never publishes the Chinese one."""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, JSONObject
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from parler.fields import TranslationsForeignKey
from parler.managers import TranslatableManager, TranslatableQuerySet
from parler.models import TranslatableModel, TranslatedFields, TranslatedFieldsModel
from simple_history.models import HistoricalRecords

from articles.cards import SLUG_PLACEHOLDER, ArticleCardIterable, PhotoRef
from articles.uploads import PhotoField
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

    def get_absolute_url(self):
        return reverse("articles:category", kwargs={"slug": self.slug})


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

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


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

    # Only real JPEG, PNG, WebP or GIF pictures, stored without EXIF under a safe name
    # (articles/uploads.py).
    image = PhotoField(
        _("image"), upload_to="photos/%Y/%m/", width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(_("width"), editable=False, null=True)
    height = models.PositiveIntegerField(_("height"), editable=False, null=True)
    # The renditions made of the image (articles/renditions.py), kept with the photo so a
    # page of twenty cards needs no storage or cache lookups to print them.
    rendition_manifest = models.JSONField(default=dict, blank=True, editable=False)
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


# Not stored: a published edition whose publication time is still ahead.
SCHEDULED = "scheduled"

# States in which an edition has been in front of readers: its address is fixed.
WAS_PUBLISHED = [EditionStatus.PUBLISHED, EditionStatus.UNPUBLISHED, EditionStatus.ARCHIVED]


class WorkflowAction(models.TextChoices):
    """What can happen to an edition; the transitions are in articles/workflow.py."""

    SUBMIT = "submit", _("Submit for review")
    REQUEST_CHANGES = "request_changes", _("Request changes")
    APPROVE = "approve", _("Approve")
    PUBLISH = "publish", _("Publish now")
    SCHEDULE = "schedule", _("Schedule")
    UNPUBLISH = "unpublish", _("Unpublish")
    ARCHIVE = "archive", _("Archive")
    # Events that record something without changing the state:
    MINOR_EDIT = "minor_edit", _("Edited without retranslation")
    CONFIRM_SOURCE = "confirm_source", _("Confirmed up to date with the source")
    ASSIGN = "assign", _("Translator assigned")
    CLAIM = "claim", _("Translation claimed")
    RESTORE = "restore", _("Revision restored")


# The text whose changes make translations outdated.
CONTENT_FIELDS = ["title", "lead", "body"]

# What the body editor offers; the same list is what survives sanitizing on save.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "Figure": True,
    "Image": True,
    "Caption": True,
    "History": True,
}


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

    def published_in(self, year, month=None):
        """Published, in the queryset's language, in ``year`` (and ``month``)."""
        conditions = {"status": EditionStatus.PUBLISHED, "published_at__year": year}
        if month:
            conditions["published_at__month"] = month
        return self.published().filter(self._editions(self._language, **conditions))

    def scheduled(self):
        """Articles with an edition waiting for its publication time."""
        return self.filter(
            self._editions(status=EditionStatus.PUBLISHED, published_at__gt=timezone.now())
        )

    def missing_edition(self, language):
        return self.exclude(self._editions(language))

    def outdated_in(self, language):
        """Articles whose ``language`` translation lags behind a changed source."""
        source_version = ArticleTranslation.objects.filter(
            master=OuterRef("master"), language_code=OuterRef("master__source_language")
        ).values("content_version")[:1]
        outdated = (
            ArticleTranslation.objects.filter(master=OuterRef("pk"), language_code=language)
            .exclude(language_code=OuterRef("source_language"))
            .annotate(current_source_version=Subquery(source_version))
            .filter(source_content_version__lt=F("current_source_version"))
        )
        return self.filter(Exists(outdated))

    def in_status(self, status, language):
        return self.filter(self._editions(language, status=status))

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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles_written",
        help_text=_("The reporter who owns the source edition."),
    )
    # Optimistic locking of the shared fields (category, tags, links…): see admin forms.
    shared_version = models.PositiveIntegerField(default=0, editable=False)

    objects = TranslatableManager.from_queryset(ArticleQuerySet)()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("review_article", _("Can review editions: approve or request changes")),
            ("publish_article", _("Can publish, schedule, unpublish and archive editions")),
            ("assign_translator", _("Can assign translators")),
            ("translate_article", _("Can translate articles")),
        ]

    def __str__(self):
        return self.safe_translation_getter("title", any_language=True, default=f"#{self.pk}")

    @transaction.atomic
    def save(self, *args, **kwargs):
        # One transaction: the article, its translations (parler saves them after it) and
        # the editions' copy of the category (see ArticleTranslation.category) are all
        # written, or none; the admin had one, the shell and commands did not.
        super().save(*args, **kwargs)
        self.translations.exclude(article_category_id=self.category_id).update(
            article_category_id=self.category_id
        )

    def get_absolute_url(self):
        """The page of the current language's edition, else of the first edition there is."""
        language = self.get_current_language()
        if not self.has_translation(language):
            language = next(iter(self.get_available_languages()), language)
        return self.get_absolute_url_for(language)

    def get_absolute_url_for(self, language):
        slug = self.safe_translation_getter("slug", language_code=language)
        with translation.override(language):
            return reverse("articles:detail", kwargs={"slug": slug})

    def is_published(self, language=None):
        """Whether readers of ``language`` (default: the current one) can see the article."""
        edition = self.edition(language or self.get_current_language())
        return edition is not None and edition.is_live()

    def edition(self, language):
        """The edition in ``language``, or None; uses prefetched translations when there."""
        if not self.pk:
            return None
        for edition in self.translations.all():
            if edition.language_code == language:
                return edition
        return None

    def source_edition(self):
        return self.edition(self.source_language)


class EditionQuerySet(models.QuerySet):
    """Language editions as reader pages list them: one row per article, in one language.

    Lists start from the editions, not the articles: "published in Vietnamese, newest
    first" is then one walk down the ``articles_edition_listing`` index, whatever the
    number of articles.
    """

    def live(self, language):
        """Editions in ``language`` that readers can see (see ArticleQuerySet.published)."""
        return self.filter(
            language_code=language,
            status=EditionStatus.PUBLISHED,
            published_at__lte=timezone.now(),
        )

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def in_category(self, category):
        return self.filter(article_category=category)

    def published_in(self, year, month=None):
        """Published in ``year`` (and ``month``), local time; a range the index serves."""
        start = timezone.make_aware(datetime.datetime(year, month or 1, 1))
        if month is None:
            end = start.replace(year=year + 1)
        elif month == 12:
            end = start.replace(year=year + 1, month=1)
        else:
            end = start.replace(month=month + 1)
        return self.filter(published_at__gte=start, published_at__lt=end)

    def tagged_with_any(self, tag_ids):
        """Editions of articles carrying any of ``tag_ids`` (an article with several of
        them comes once per tag: take a few more and drop the repeats)."""
        return self.filter(master__tags__in=tag_ids)

    def _with_names(self):
        """Join the category's and the lead photo's translations in the edition's own
        language (joins compile and plan much faster than one subquery per column)."""
        return self.annotate(
            category_here=FilteredRelation(
                "article_category__translations",
                condition=Q(article_category__translations__language_code=F("language_code")),
            ),
            photo_here=FilteredRelation(
                "master__lead_photo__translations",
                condition=Q(master__lead_photo__translations__language_code=F("language_code")),
            ),
        )

    def for_article_page(self):
        """Everything the article page prints about the edition, in one query: the article,
        its category and lead photo (names and captions in the edition's language), the
        previous and next live editions, and whether there is a gallery or corrections to
        read. The article's other editions (for the language links and the source note)
        come with one more query."""
        live = ArticleTranslation.objects.filter(
            language_code=OuterRef("language_code"),
            status=EditionStatus.PUBLISHED,
            published_at__lte=timezone.now(),
        )
        title_and_slug = JSONObject(title="title", slug="slug")
        previous = (
            live.filter(published_at__lt=OuterRef("published_at"))
            .order_by("-published_at", "-pk")
            .values(neighbour=title_and_slug)[:1]
        )
        following = (
            live.filter(published_at__gt=OuterRef("published_at"))
            .order_by("published_at", "pk")
            .values(neighbour=title_and_slug)[:1]
        )
        return (
            self._with_names()
            .select_related("master__category", "master__lead_photo")
            .prefetch_related("master__translations")
            .annotate(
                category_name=F("category_here__name"),
                category_slug=F("category_here__slug"),
                photo_caption=F("photo_here__caption"),
                photo_credit=F("photo_here__credit"),
                photo_alt_text=F("photo_here__alt_text"),
                previous=Subquery(previous, output_field=models.JSONField()),
                next=Subquery(following, output_field=models.JSONField()),
                has_gallery=Exists(GalleryPhoto.objects.filter(article=OuterRef("master_id"))),
                has_corrections=Exists(
                    Correction._parler_meta.root_model.objects.filter(
                        master__article=OuterRef("master_id"),
                        language_code=OuterRef("language_code"),
                    )
                ),
            )
        )

    def as_cards(self):
        """ArticleCards (articles/cards.py), with only the columns a card prints."""
        queryset = self._with_names().values(
            "master_id",
            "master__category_id",
            "title",
            "slug",
            "lead",
            "published_at",
            "master__lead_photo_id",
            "master__lead_photo__image",
            "master__lead_photo__rendition_manifest",
            category_name=F("category_here__name"),
            photo_alt_text=F("photo_here__alt_text"),
        )
        queryset._iterable_class = ArticleCardIterable
        return queryset


class ArticleTranslation(TranslatedSlugMixin, TranslatedFieldsModel):
    """One language edition of an article: its text, credits and publication state."""

    master = TranslationsForeignKey(
        Article, related_name="translations", null=True, on_delete=models.CASCADE, editable=False
    )
    title = models.CharField(_("title"), max_length=300)
    lead = models.TextField(_("lead"), blank=True, help_text=_("The opening paragraph in bold."))
    body = ProseEditorField(
        _("body"),
        extensions=BODY_EDITOR_EXTENSIONS,
        sanitize=True,
        blank=True,
        help_text=_("Headings, lists, links, quotes and pictures with captions."),
    )
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
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Bumped by every save: two people editing the same edition cannot overwrite each other.
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    # Bumped when title, lead or body change in substance; translations remember the
    # source's content_version they follow, and are outdated when it has moved on.
    content_version = models.PositiveIntegerField(default=1, editable=False)
    content_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    source_content_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The article's category, copied here (Article.save keeps it equal) so that a
    # category's list is one walk down the articles_edition_category index: joining every
    # edition to its article made page 50 of a category take 70 ms at 100,000 articles.
    article_category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, editable=False, related_name="+"
    )

    history = HistoricalRecords(
        excluded_fields=["updated_at", "version", "article_category"], cascade_delete_history=True
    )

    objects = EditionQuerySet.as_manager()

    slug_source_field = "title"
    slug_fallback = "article"
    # Set for one save: a typo fix that must not make the translations outdated.
    minor_edit = False

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
            # Category lists: the same, within one category.
            models.Index(
                fields=["language_code", "article_category", "status", "published_at"],
                name="articles_edition_category",
            ),
            # The sitemap: live editions, article by article.
            models.Index(
                fields=["master", "published_at"],
                condition=Q(status=EditionStatus.PUBLISHED),
                name="articles_edition_sitemap",
            ),
            # The page cache's "when is the next scheduled publication?", in any language.
            models.Index(
                fields=["published_at"],
                condition=Q(status=EditionStatus.PUBLISHED),
                name="articles_edition_published",
            ),
        ]

    def __str__(self):
        return f"{self.title} [{self.language_code}]"

    def save(self, *args, **kwargs):
        # Sanitized on the way in (with the editor's own allow-list), so templates can
        # print the body as it is stored, whichever way it was written.
        self.body = self._meta.get_field("body").sanitize(self.body)
        if self.status == EditionStatus.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        if self.master_id is not None:
            self.article_category_id = self.master.category_id
        self.version += 1
        # The first text is no change: content_changed_at dates the updates readers are told of.
        if self.pk and self._content_changed() and not self.minor_edit:
            self.content_version += 1
            self.content_changed_at = timezone.now()
        super().save(*args, **kwargs)

    def is_live(self):
        return (
            self.status == EditionStatus.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def _content_changed(self):
        if self.pk is None:
            return True
        stored = type(self).objects.filter(pk=self.pk).values(*CONTENT_FIELDS).first()
        return stored is None or any(
            stored[name].strip() != (getattr(self, name) or "").strip() for name in CONTENT_FIELDS
        )

    @property
    def article(self):
        return self.master

    def is_source(self):
        return self.language_code == self.master.source_language

    def source(self):
        """The edition this one translates (None for the source itself)."""
        if self.is_source():
            return None
        return self.master.source_edition()

    def is_outdated(self):
        """A translation whose source changed in substance since it was made or confirmed."""
        source = self.source()
        return (
            source is not None
            and self.source_content_version is not None
            and self.source_content_version < source.content_version
        )

    def follow_source(self):
        """Mark this translation as matching the current source text."""
        source = self.source()
        self.source_content_version = source.content_version if source else None

    def workflow_state(self):
        """The status, with "scheduled" for a published edition whose time has not come."""
        if self.status == EditionStatus.PUBLISHED and not self.is_live():
            return SCHEDULED
        return self.status

    def slug_is_locked(self):
        return (
            self.pk is not None
            and type(self).objects.filter(pk=self.pk, status__in=WAS_PUBLISHED).exists()
        )

    def linked_pages(self):
        """The tags, events, partner localities and member associations of the article,
        in the edition's language, in one query: ``{kind: [{"pk", "url", "label"}]}`` with kinds
        "tag", "activity", "locality" and "association"."""
        parts = []
        for kind, model, label, order in LINKED_PAGES:
            translations = model._parler_meta.root_model.objects.filter(
                language_code=self.language_code, master__articles=self.master_id
            )
            parts.append(
                translations.annotate(
                    kind=Value(kind),
                    link_slug=F("slug"),
                    label=F(label),
                    sort_key=Cast(order, models.CharField()),
                ).values("kind", "master_id", "link_slug", "label", "sort_key")
            )
        rows = parts[0].union(*parts[1:], all=True).order_by("kind", "sort_key", "label")
        linked = {kind: [] for kind, *_rest in LINKED_PAGES}
        with translation.override(self.language_code):
            patterns = {
                kind: reverse(LINKED_PAGE_URLS[kind], kwargs={"slug": SLUG_PLACEHOLDER})
                for kind in linked
            }
        for row in rows:
            linked[row["kind"]].append(
                {
                    "pk": row["master_id"],
                    "url": patterns[row["kind"]].replace(SLUG_PLACEHOLDER, row["link_slug"]),
                    "label": row["label"],
                }
            )
        return linked

    def gallery_photos(self):
        """The gallery as PhotoRefs, captions in the edition's language (one query)."""
        translations = Photo._parler_meta.root_model.objects.filter(
            master=OuterRef("photo_id"), language_code=self.language_code
        )
        rows = (
            GalleryPhoto.objects.filter(article=self.master_id)
            .order_by("position", "pk")
            .values_list("photo_id", "photo__image", "photo__rendition_manifest")
            .annotate(
                alt_text=Subquery(translations.values("alt_text")[:1]),
                caption=Subquery(translations.values("caption")[:1]),
                credit=Subquery(translations.values("credit")[:1]),
            )
        )
        return [PhotoRef(*row) for row in rows]

    def corrections(self):
        """The article's corrections translated into the edition's language, oldest first:
        ``[{"created_at", "text"}]`` (one query)."""
        return list(
            Correction._parler_meta.root_model.objects.filter(
                master__article=self.master_id, language_code=self.language_code
            )
            .order_by("master__created_at", "master_id")
            .values("text", created_at=F("master__created_at"))
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


# What linked_pages() reads: kind, model, the translated field printed, the sort order.
LINKED_PAGES = (
    ("tag", Tag, "name", "name"),
    ("activity", Activity, "title", "master__starts_on"),
    ("locality", PartnerLocality, "name", "name"),
    ("association", MemberAssociation, "name", "name"),
)
LINKED_PAGE_URLS = {
    "tag": "articles:tag",
    "activity": "events:detail",
    "locality": "organizations:locality",
    "association": "organizations:association",
}


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


class EditionEvent(models.Model):
    """One step in an edition's life: a transition, a minor edit, an assignment…

    The reasons editors give ("request changes: the governor's name is misspelled") stay
    here, visible on the item, and the people who reviewed it are found here.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="events"
    )
    language_code = models.CharField(_("language"), max_length=15, choices=settings.LANGUAGES)
    action = models.CharField(_("action"), max_length=20, choices=WorkflowAction.choices)
    from_status = models.CharField(_("from"), max_length=20, blank=True)
    to_status = models.CharField(_("to"), max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("edition event")
        verbose_name_plural = _("edition events")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The workflow panel: an edition's events, newest first.
            models.Index(
                fields=["article", "language_code", "-created_at"], name="articles_event_edition"
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} [{self.language_code}]"


class TranslationAssignment(models.Model):
    """Who translates an article into a language: assigned by an editor or claimed."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    language_code = models.CharField(_("language"), max_length=15, choices=settings.LANGUAGES)
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("translator"),
        on_delete=models.CASCADE,
        related_name="translation_assignments",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("translation assignment")
        verbose_name_plural = _("translation assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language_code"], name="articles_one_translator_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.translator} → {self.language_code}"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message to one person about an edition, shown in the admin inbox and e-mailed."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="newsroom_notifications",
    )
    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    language_code = models.CharField(_("language"), max_length=15, choices=settings.LANGUAGES)
    action = models.CharField(_("action"), max_length=20, choices=WorkflowAction.choices)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The inbox: a person's unread notifications, newest first.
            models.Index(fields=["recipient", "read_at", "-created_at"], name="articles_inbox"),
        ]

    def __str__(self):
        return self.message[:80]


class Correction(TranslatableModel):
    """A dated correction or update note printed under a published article.

    Written in the source language; each edition shows it once it is translated into
    that edition's language, and until then it is a translation task.
    """

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="corrections"
    )
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    translations = TranslatedFields(
        text=models.TextField(_("correction")),
    )

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.safe_translation_getter("text", any_language=True, default="")[:80]
