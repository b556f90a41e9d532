from django import template

from translation_desk import stats

register = template.Library()

# Who sees the desk's figures on the admin home: translators and the editors who review
# them. Reporters do not translate; the backlog is not theirs to act on.
DESK_PERMISSIONS = ("articles.translate_article", "articles.review_article")


def sees_desk(user):
    return any(user.has_perm(permission) for permission in DESK_PERMISSIONS)


@register.inclusion_tag("admin/translation_desk/desk_stats.html", takes_context=True)
def translation_desk_stats(context):
    """The translation desk's backlog, open work per translator and publication delay,
    for the admin home (four queries; nothing for those outside the desk)."""
    if not sees_desk(context["request"].user):
        return {"hidden": True}
    statistics = stats.desk_statistics()
    return {
        "languages": list(statistics.languages.values()),
        "translators": statistics.translators,
        "since": statistics.since,
    }
