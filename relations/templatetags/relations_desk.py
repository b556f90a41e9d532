from django import template
from django.utils import timezone

from relations import calendar
from relations.models import Occasion

register = template.Library()


@register.inclusion_tag("admin/relations/next_days.html", takes_context=True)
def next_occasions(context, days=calendar.UPCOMING_DAYS):
    """The occasions of the coming ``days`` days, for the admin home (the template shows
    the tag only to those who may read the calendar; checked here again)."""
    if not context["request"].user.has_perm("relations.view_occasion"):
        return {"days": days, "entries": [], "hidden": True}
    return {
        "days": days,
        "entries": calendar.upcoming(Occasion.objects.all(), timezone.localdate(), days),
    }
