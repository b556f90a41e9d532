import time

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


class SlidingSessionMiddleware:
    """Keeps a working editor's session alive: it ends SESSION_COOKIE_AGE after the last
    request, not after the login, so a long edit is never lost to an expired session.

    Django's SESSION_SAVE_EVERY_REQUEST does that by writing the session on every request,
    even where the page never reads it; here only requests that read the session (the
    admin's pages) extend it, and at most every SESSION_SLIDE_SECONDS.
    """

    KEY = "_extended_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(self.KEY, 0) >= settings.SESSION_SLIDE_SECONDS:
            session[self.KEY] = now  # marks the session modified: saved with a new expiry
        return response
