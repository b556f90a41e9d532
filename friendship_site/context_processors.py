from django.utils.functional import SimpleLazyObject

from friendship_site.i18n import language_links
from organizations.models import FriendshipUnion


def home_union(request):
    """The union that publishes the site, read once per request (views that need it too,
    e.g. for an article's JSON-LD, share the header's)."""
    if not hasattr(request, "_home_union"):
        request._home_union = FriendshipUnion.objects.home()
    return request._home_union


def site(request):
    """What every public page prints: the union that publishes the site (header, footer),
    and the links to the page in the other languages (views that know better, such as an
    article's, pass their own ``language_links``).

    Lazy: pages that do not print them (the admin) pay nothing.
    """
    return {
        "home_union": SimpleLazyObject(lambda: home_union(request)),
        "language_links": SimpleLazyObject(lambda: language_links(request)),
    }


def parler_admin_compat(request):
    """django-parler 2.4's "delete translation" page does not pass a variable that
    Django 6.1's admin/delete_confirmation.html needs, and the page fails with
    VariableDoesNotExist. None means "list every object", as Django's own default does.
    Django's own delete views pass their value, which takes precedence over this one.
    """
    return {"delete_confirmation_max_display": None}
