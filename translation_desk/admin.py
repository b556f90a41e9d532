from django.contrib import admin

from friendship_site.admin import ReadOnlyAdminMixin
from translation_desk.models import PersonTitle, Term, TermOverride


class PersonTitleInline(admin.TabularInline):
    model = PersonTitle
    extra = 0
    fields = ["vi", "en", "zh_hans", "since", "until"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["vi", "en", "zh_hans", "kind"]
    list_filter = ["kind"]
    search_fields = [
        "key",
        "vi",
        "en",
        "zh_hans",
        "forbidden_vi",
        "forbidden_en",
        "forbidden_zh_hans",
        "titles__vi",
        "titles__en",
        "titles__zh_hans",
    ]
    prepopulated_fields = {"key": ["en"]}
    fields = [
        "kind",
        "key",
        ("vi", "forbidden_vi"),
        ("en", "forbidden_en"),
        ("zh_hans", "forbidden_zh_hans"),
        "note",
        "source",
    ]
    inlines = [PersonTitleInline]

    def get_inlines(self, request, obj):
        # Titles over time belong to people only.
        return self.inlines if obj is None or obj.kind == "person" else []


@admin.register(TermOverride)
class TermOverrideAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "overridden_at",
        "edition",
        "kind",
        "source_text",
        "expected",
        "found_variant",
        "overridden_by",
    ]
    list_filter = ["kind", "edition__language_code"]
    search_fields = ["source_text", "expected", "found_variant", "reason"]
    date_hierarchy = "overridden_at"
    list_select_related = ["edition", "overridden_by"]
