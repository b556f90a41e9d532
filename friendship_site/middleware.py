from django.conf import settings
from django.middleware import locale
from django.utils import translation


class LocaleMiddleware(locale.LocaleMiddleware):
    """
    Django's LocaleMiddleware, except that pages without a language prefix (the admin)
    ignore the browser's Accept-Language: the newsroom works in Vietnamese unless an
    editor picks another language with the admin's language switcher (a cookie).
    """

    def process_request(self, request):
        if translation.get_language_from_path(request.path_info):
            return super().process_request(request)
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if not language or not translation.check_for_language(language):
            language = settings.LANGUAGE_CODE
        language = translation.get_supported_language_variant(language)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
