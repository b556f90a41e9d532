"""Per-language slugs for parler translation models, made on the server."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from friendship_site.text import slugify_title

SLUG_MAX_LENGTH = 200


class TranslatedSlugMixin(models.Model):
    """A slug unique per language, made from ``slug_source_field`` when left empty.

    The admin's JavaScript slug pre-filling mangles Vietnamese ("Đà Nẵng" -> "dja-nng"),
    so slugs are made here, on save and on form validation. A taken slug is reported as
    a form error that suggests a free one; the database constraint on
    (language_code, slug), declared by each concrete model, is the last line of defence.
    """

    slug_source_field = "name"
    slug_fallback = "page"

    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_MAX_LENGTH,
        blank=True,
        help_text=_(
            "The last part of the page address. Leave empty to make it from the title; "
            "Vietnamese and Chinese titles give readable Latin letters."
        ),
    )

    class Meta:
        abstract = True
        # Translations are edited through their model's admin; no permissions of their own.
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["language_code", "master"], name="%(app_label)s_%(class)s_uniq_lang"
            ),
            models.UniqueConstraint(
                fields=["language_code", "slug"], name="%(app_label)s_%(class)s_uniq_slug"
            ),
        ]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.free_slug(self.source_slug())
        super().save(*args, **kwargs)

    def slug_is_locked(self):
        """Whether the stored slug may no longer change (readers and links depend on it)."""
        return False

    def _slug_taken(self, slug):
        return (
            type(self)
            .objects.filter(language_code=self.language_code, slug=slug)
            .exclude(pk=self.pk)
            .exists()
        )

    def free_slug(self, base):
        """``base`` itself when free in this language, else ``base-2``, ``base-3``…"""
        base = base or self.slug_fallback
        if not self._slug_taken(base):
            return base
        # One query for every slug this base could grow into, not one per number tried
        # (an import of many rows with one title would otherwise crawl).
        stem = base[: SLUG_MAX_LENGTH - 8].rstrip("-")
        taken = set(
            type(self)
            .objects.filter(language_code=self.language_code, slug__startswith=stem)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        number = 2
        while True:
            suffix = f"-{number}"
            candidate = base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
            if candidate not in taken:
                return candidate
            number += 1

    def source_slug(self):
        return slugify_title(getattr(self, self.slug_source_field), SLUG_MAX_LENGTH)

    def clean(self):
        super().clean()
        stored_slug = None
        if self.pk:
            stored_slug = (
                type(self).objects.filter(pk=self.pk).values_list("slug", flat=True).first()
            )
        if not self.slug:
            self.slug = stored_slug if self.slug_is_locked() else self.free_slug(self.source_slug())
        if stored_slug and self.slug != stored_slug and self.slug_is_locked():
            raise ValidationError(
                {
                    "slug": _(
                        "This edition has been published at the address “%(slug)s”; "
                        "its address cannot change."
                    )
                    % {"slug": stored_slug}
                }
            )
        if self._slug_taken(self.slug):
            raise ValidationError(
                {
                    "slug": _(
                        "The address “%(slug)s” is already used in this language. "
                        "“%(free)s” is free."
                    )
                    % {"slug": self.slug, "free": self.free_slug(self.slug)}
                }
            )

    def validate_constraints(self, exclude=None):
        # clean() already reported a taken slug, with a free one to use instead; the
        # constraint's own message ("… with this Language and Slug already exists") would
        # only repeat it less helpfully.
        super().validate_constraints(exclude={*(exclude or ()), "slug"})
