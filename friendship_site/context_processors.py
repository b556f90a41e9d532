from django.utils.functional import SimpleLazyObject

from organizations.models import FriendshipUnion


def site(request):
    """The union that publishes the site, for the header and footer of every public page.

    Lazy: pages that do not print it (the admin) make no query for it.
    """
    return {"home_union": SimpleLazyObject(FriendshipUnion.objects.home)}


def parler_admin_compat(request):
    """django-parler 2.4's "delete translation" page does not pass a variable that
    Django 6.1's admin/delete_confirmation.html needs, and the page fails with
    VariableDoesNotExist. None means "list every object", as Django's own default does.
    Django's own delete views pass their value, which takes precedence over this one.
    """
    return {"delete_confirmation_max_display": None}
