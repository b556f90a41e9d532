"""Links between the language editions of a page: the language switcher and hreflang."""

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation

from friendship_site.text import nfc


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
