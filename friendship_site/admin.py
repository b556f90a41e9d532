"""Admin building blocks shared by the apps (not an app: nothing here is registered)."""

from django.contrib import admin
from parler.models import TranslatableModel


class PrefetchingAdminMixin:
    """Prefetch what the change list prints, so a page of 100 rows costs the same number of
    queries as a page of 1: the rows' translations and ``list_prefetch_related``."""

    list_prefetch_related = ()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        prefetch = list(self.list_prefetch_related)
        if issubclass(self.model, TranslatableModel):
            prefetch.append("translations")
        return queryset.prefetch_related(*prefetch)


class TranslatedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A sidebar filter on a relation to a translated model, in two queries instead of one
    per choice (Django's version prints each choice's ``str()``, which parler fetches
    one by one)."""

    def field_choices(self, field, request, model_admin):
        ordering = self.field_admin_ordering(field, request, model_admin)
        related = field.related_model._default_manager.prefetch_related("translations")
        if ordering:
            related = related.order_by(*ordering)
        return [(obj.pk, str(obj)) for obj in related.complex_filter(field.get_limit_choices_to())]


class ReadOnlyAdminMixin:
    """Records of what happened: they can be read and filtered, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
