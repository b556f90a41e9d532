"""Occasions of agreements and of member associations' foundings follow those records."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from friendship_site.dates import DatePrecision
from organizations.models import CooperationAgreement, MemberAssociation
from relations.models import Occasion, OccasionKind, SuggestedAction


@receiver(post_save, sender=CooperationAgreement, dispatch_uid="relations-agreement")
def follow_agreement(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata: the fixture holds the occasions it wants
        return
    facts = {
        "kind": OccasionKind.PARTNERSHIP,
        "date": instance.signed_on,
        "date_precision": instance.signed_on_precision,
        "locality": instance.locality,
        "country_id": instance.locality.country_id,
        "source": instance.source,
    }
    Occasion.objects.update_or_create(
        agreement=instance,
        defaults=facts,
        create_defaults={**facts, "suggested_action": SuggestedAction.LETTER},
    )


@receiver(post_save, sender=MemberAssociation, dispatch_uid="relations-association")
def follow_association(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if instance.founded_on is None:
        Occasion.objects.filter(association=instance).delete()
        return
    facts = {
        "kind": OccasionKind.ASSOCIATION_FOUNDING,
        "date": instance.founded_on,
        "date_precision": DatePrecision.DAY,
    }
    Occasion.objects.update_or_create(
        association=instance,
        defaults=facts,
        create_defaults={**facts, "suggested_action": SuggestedAction.ARTICLE},
    )
