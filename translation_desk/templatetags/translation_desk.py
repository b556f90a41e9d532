from django import template
from django.core.cache import cache

from friendship_site.cache import content_generation
from translation_desk import stats

register = template.Library()

# Who sees the desk's figures on the admin home: translators and the editors who review
# them. Reporters do not translate; the backlog is not theirs to act on.
DESK_PERMISSIONS = ("articles.translate_article", "articles.review_article")
# The backlog reads the words of every untranslated source: computed once per content
# change (the reader pages' generation) and kept at most this long, since assignments do
# not change the generation.
FIGURES_SECONDS = 5 * 60


def sees_desk(user):
    return any(user.has_perm(permission) for permission in DESK_PERMISSIONS)


@register.inclusion_tag("admin/translation_desk/desk_stats.html", takes_context=True)
def translation_desk_stats(context):
    """The translation desk's backlog, open work per translator and publication delay,
    for the admin home (four queries when not cached; nothing for those outside the desk)."""
    if not sees_desk(context["request"].user):
        return {"hidden": True}
    statistics = cache.get_or_set(
        f"translation-desk:figures:{content_generation()}",
        stats.desk_statistics,
        FIGURES_SECONDS,
    )
    return {
        "languages": list(statistics.languages.values()),
        "translators": statistics.translators,
        "since": statistics.since,
    }
