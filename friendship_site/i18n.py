"""Links between the language editions of a page: the language switcher and hreflang."""

from django.conf import settings
from django.db.models import FilteredRelation, Q
from django.db.models.query import ModelIterable
from django.http import Http404
from django.urls import reverse, translate_url
from django.utils import translation
from parler.cache import MISSING

from friendship_site.text import nfc

# The annotation that carries the joined translation (see with_translation).
JOINED_TRANSLATION = "translation_joined"


def language_links(request, urls=None):
    """One link per language: ``(code, local name, url, exists)``.

    ``urls`` maps a language to the same page in that language; a language missing from it
    has no such page (e.g. an article not translated into it), and its link leads to that
    edition's home. Without ``urls`` the page is the same path in every language (a list,
    the home page), as Django's i18n_patterns give it.
    """
    links = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        if urls is None:
            url, exists = translate_url(request.path, code), True
        elif code in urls:
            url, exists = urls[code], True
        else:
            with translation.override(code):
                url, exists = reverse("home"), False
        # Django's own "Tiếng Việt" is stored decomposed; print it composed like our text.
        name = nfc(info["name_local"])
        links.append({"code": code, "name": name, "url": url, "exists": exists})
    return links


def translated_urls(obj, url_name, slug_field="slug", languages=None):
    """{language: URL} of ``obj``'s page in each language it has a translation in."""
    urls = {}
    for code in languages if languages is not None else obj.get_available_languages():
        slug = obj.safe_translation_getter(slug_field, language_code=code)
        if slug:
            with translation.override(code):
                urls[code] = reverse(url_name, kwargs={"slug": slug})
    return urls


def translations_by_slug(translation_model, language, slug):
    """{language: translation} of the object whose ``language`` slug is ``slug``, in one
    query; 404 when there is none."""
    translations = {
        found.language_code: found
        for found in translation_model.objects.filter(
            master__translations__language_code=language, master__translations__slug=slug
        )
    }
    if language not in translations:
        raise Http404
    return translations


def slug_urls(translations, url_name):
    """{language: URL} of a page addressed by the slug of each of ``translations``."""
    urls = {}
    for code, found in translations.items():
        with translation.override(code):
            urls[code] = reverse(url_name, kwargs={"slug": found.slug})
    return urls


class JoinedTranslationIterable(ModelIterable):
    """Hands each object its joined translation the way parler keeps them, so reading a
    translated field makes no query."""

    def __iter__(self):
        language = self.queryset._language
        for obj in super().__iter__():
            found = getattr(obj, JOINED_TRANSLATION, None)
            cache = obj._translations_cache[obj._parler_meta.root_model]
            cache[language] = found if found is not None else MISSING
            yield obj


def with_translation(queryset, language):
    """Parler objects of ``queryset`` with their ``language`` translation read in the same
    query (a join), instead of one more query per list (prefetch) or per object."""
    queryset = (
        queryset.language(language)
        .annotate(
            **{
                JOINED_TRANSLATION: FilteredRelation(
                    "translations", condition=Q(translations__language_code=language)
                )
            }
        )
        .select_related(JOINED_TRANSLATION)
    )
    queryset._iterable_class = JoinedTranslationIterable
    return queryset


def translated_choices(model, language, key="slug", order_by="name"):
    """{key: (pk, name)} of ``model``'s objects translated into ``language``, in one query
    of plain values (``key`` is a field of the translation, or ``master__<field>``)."""
    translations = model._parler_meta.root_model.objects.filter(language_code=language)
    return {
        value: (pk, name)
        for value, pk, name in translations.order_by(order_by).values_list(key, "master_id", "name")
    }
