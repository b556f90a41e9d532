"""The term base: the union's names, titles and fixed phrases, each with the one rendering
approved in every language, and the record of each time a translator kept a translation
that the term check flagged.

Renderings are plain columns (``vi``, ``en``, ``zh_hans``), not parler translations: the
check and the marker need a term's rendering in the source *and* the target language at
once, the admin shows the three side by side (so an editor compares them at a glance) and
searches them all in one query; the three languages are fixed by the site.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from articles.models import ArticleTranslation

# The column of each site language in Term and PersonTitle.
RENDERING_FIELDS = {"vi": "vi", "en": "en", "zh-hans": "zh_hans"}


def rendering_field(language):
    return RENDERING_FIELDS[language]


def lines(text):
    """The non-blank lines of a one-per-line text field."""
    return [line.strip() for line in text.splitlines() if line.strip()]


class TermKind(models.TextChoices):
    PERSON = "person", pgettext_lazy("term kind", "Person")
    ORGANIZATION = "organization", pgettext_lazy("term kind", "Organization")
    PLACE = "place", pgettext_lazy("term kind", "Place")
    PHRASE = "phrase", pgettext_lazy("term kind", "Fixed phrase")


class Term(models.Model):
    key = models.SlugField(
        _("key"),
        max_length=100,
        unique=True,
        help_text=_("A stable name for the term (the seed loader finds terms by it)."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=TermKind)
    vi = models.CharField(_("Vietnamese"), max_length=255)
    en = models.CharField(
        _("English"), max_length=255, blank=True, help_text=_("Blank: no approved rendering.")
    )
    zh_hans = models.CharField(
        _("Chinese"), max_length=255, blank=True, help_text=_("Blank: no approved rendering.")
    )
    forbidden_vi = models.TextField(
        _("forbidden in Vietnamese"),
        blank=True,
        help_text=_(
            "One per line. Other spellings found in Vietnamese sources: they name the term too."
        ),
    )
    forbidden_en = models.TextField(
        _("forbidden in English"), blank=True, help_text=_("One per line.")
    )
    forbidden_zh_hans = models.TextField(
        _("forbidden in Chinese"), blank=True, help_text=_("One per line.")
    )
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(
        _("source"), max_length=255, blank=True, help_text=_("Where the rendering comes from.")
    )

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["kind", "vi"]

    def __str__(self):
        return self.vi

    def rendering(self, language):
        """The approved rendering in ``language`` ("" when none is approved)."""
        return getattr(self, rendering_field(language))

    def forbidden_variants(self, language):
        return lines(getattr(self, f"forbidden_{rendering_field(language)}"))

    def source_forms(self, language):
        """How a source in ``language`` may name the term: the approved rendering, and the
        forbidden spellings (a source spelled the old way still names it)."""
        return [form for form in [self.rendering(language)] if form] + self.forbidden_variants(
            language
        )

    def title_on(self, day, language):
        """A person's title on ``day`` in ``language`` ("" when none is recorded)."""
        for title in self.titles.all():
            if (title.since is None or title.since <= day) and (
                title.until is None or day <= title.until
            ):
                return title.rendering(language)
        return ""


class PersonTitle(models.Model):
    """A person's title over a period: "Secretary and Governor of Champasak province"."""

    term = models.ForeignKey(
        Term,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="titles",
        limit_choices_to={"kind": TermKind.PERSON},
    )
    vi = models.CharField(_("Vietnamese"), max_length=255)
    en = models.CharField(_("English"), max_length=255, blank=True)
    zh_hans = models.CharField(_("Chinese"), max_length=255, blank=True)
    since = models.DateField(_("since"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("title")
        verbose_name_plural = _("titles over time")
        # Newest first: title_on() takes the first period that covers the day.
        ordering = [models.F("since").desc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(since__isnull=True)
                | models.Q(until__isnull=True)
                | models.Q(since__lte=models.F("until")),
                name="translation_desk_persontitle_since_before_until",
            )
        ]

    def __str__(self):
        return self.vi

    def rendering(self, language):
        return getattr(self, rendering_field(language))


class TermProblemKind(models.TextChoices):
    MISSING = "missing", pgettext_lazy("term problem", "Approved rendering missing")
    FORBIDDEN = "forbidden", pgettext_lazy("term problem", "Forbidden variant used")


class TermOverride(models.Model):
    """A translator kept a flagged translation, and said why (shown to the reviewer)."""

    edition = models.ForeignKey(
        ArticleTranslation,
        verbose_name=_("edition"),
        on_delete=models.CASCADE,
        related_name="term_overrides",
    )
    # Kept when the term is deleted: the record stays readable through the texts below.
    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.SET_NULL, null=True, blank=True
    )
    kind = models.CharField(_("problem"), max_length=20, choices=TermProblemKind)
    source_text = models.CharField(_("in the source"), max_length=255)
    expected = models.CharField(_("approved rendering"), max_length=255)
    found_variant = models.CharField(_("forbidden variant used"), max_length=255, blank=True)
    reason = models.TextField(_("reason"))
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    overridden_at = models.DateTimeField(_("at"), default=timezone.now)
    edition_version = models.PositiveIntegerField(_("edition version"), default=0)

    class Meta:
        verbose_name = _("term check override")
        verbose_name_plural = _("term check overrides")
        ordering = ["-overridden_at", "-pk"]

    def __str__(self):
        return f"{self.source_text} → {self.found_variant or self.expected}"

    @property
    def problem_key(self):
        return problem_key(self.term_id, self.kind, self.found_variant)


def problem_key(term_id, kind, found_variant=""):
    """Names one problem of one term (a form field's name, the match with an override)."""
    return f"{term_id}:{kind}:{found_variant}"
