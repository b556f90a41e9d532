"""Occasions for the agreements and member associations' foundings already recorded
(new ones follow by relations/signals.py)."""

from django.db import migrations


def follow_existing_records(apps, schema_editor):
    Occasion = apps.get_model("relations", "Occasion")
    CooperationAgreement = apps.get_model("organizations", "CooperationAgreement")
    MemberAssociation = apps.get_model("organizations", "MemberAssociation")
    for agreement in CooperationAgreement.objects.select_related("locality"):
        Occasion.objects.get_or_create(
            agreement=agreement,
            defaults={
                "kind": "partnership",
                "date": agreement.signed_on,
                "date_precision": agreement.signed_on_precision,
                "locality": agreement.locality,
                "country_id": agreement.locality.country_id,
                "source": agreement.source,
                "suggested_action": "letter",
            },
        )
    for association in MemberAssociation.objects.exclude(founded_on=None):
        Occasion.objects.get_or_create(
            association=association,
            defaults={
                "kind": "association_founding",
                "date": association.founded_on,
                "date_precision": "day",
                "suggested_action": "article",
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("relations", "0001_occasions"),
        ("organizations", "0001_initial"),
    ]

    operations = [migrations.RunPython(follow_existing_records, migrations.RunPython.noop)]
