"""Load the seed content in fixtures/ (built from the articles in ../shared/seeds/).

Loading is idempotent and never overwrites: each object is found by a stable key (an
ISO code, a union code, its slug in one language; an occasion by its kind and country, or
a holiday by its English name and day) and created only when missing, so
running it again — `make run` does so every time — creates nothing twice and keeps what
editors have changed since.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from articles.models import Article, Category, EditionStatus, GalleryPhoto, Photo, Tag
from articles.renditions import renditions
from events.models import Activity, ReportedFigure
from friendship_site.dates import DatePrecision
from organizations.models import (
    CooperationAgreement,
    Country,
    FriendshipUnion,
    MemberAssociation,
    PartnerLocality,
)
from relations.models import Occasion, OccasionKind
from translation_desk.models import PersonTitle, Term, rendering_field

FIXTURES_DIR = settings.BASE_DIR / "fixtures"


@dataclass
class SeedReport:
    created: dict = field(default_factory=dict)
    kept: dict = field(default_factory=dict)

    def count(self, label, was_created):
        tally = self.created if was_created else self.kept
        tally[label] = tally.get(label, 0) + 1

    def lines(self):
        labels = sorted(set(self.created) | set(self.kept))
        return [
            f"{label}: {self.created.get(label, 0)} created, {self.kept.get(label, 0)} kept"
            for label in labels
        ]


def read_fixture(name, fixtures_dir=FIXTURES_DIR):
    return json.loads(Path(fixtures_dir, name).read_text(encoding="utf-8"))


def find_by_slug(model, language, slug):
    return model.objects.filter(
        translations__language_code=language, translations__slug=slug
    ).first()


def set_translations(instance, translations):
    for language, values in translations.items():
        instance.set_current_language(language)
        for name, value in values.items():
            setattr(instance, name, value)


def create_translated(model, key, translations, key_language="en", **fields):
    """Create ``model`` with ``translations``, its ``key_language`` slug being ``key``."""
    instance = model(**fields)
    translations = {language: dict(values) for language, values in translations.items()}
    translations[key_language]["slug"] = key
    set_translations(instance, translations)
    instance.save()
    return instance


PLACEHOLDER_ALT_TEXT = {"vi": "Chưa có ảnh", "en": "Photo not available", "zh-hans": "暂无图片"}


def placeholder_image():
    """A plain picture standing in for a photo the seed articles mention but do not carry.

    It says so on its face, so nobody mistakes it for the real photo.
    """
    image = Image.new("RGB", (1200, 675), (228, 232, 238))
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=40)
    # Pillow's built-in font has Latin letters only: the Vietnamese and Chinese wording is in
    # the photo's alternative text.
    draw.text((600, 337), "Photo not available", fill=(85, 96, 110), font=font, anchor="mm")
    buffer = BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return ContentFile(buffer.getvalue(), name="seed-placeholder.jpg")


def create_photo(data):
    photo = Photo()
    translations = {}
    for part in ("caption", "credit"):
        for language, text in data.get(part, {}).items():
            translations.setdefault(language, {})[part] = text
    for language, values in translations.items():
        # The real photo is not held: the alternative text says what stands in its place.
        values["alt_text"] = PLACEHOLDER_ALT_TEXT[language]
    set_translations(photo, translations)
    photo.image.save("seed-placeholder.jpg", placeholder_image(), save=False)
    photo.save()
    renditions(photo)
    return photo


def load_organizations(data, report):
    countries = {}
    for item in data["countries"]:
        country = Country.objects.filter(code=item["code"]).first()
        report.count("countries", country is None)
        if country is None:
            country = Country(code=item["code"])
            set_translations(country, {lang: {"name": name} for lang, name in item["name"].items()})
            country.save()
        countries[country.code] = country

    unions = {}
    for item in data["unions"]:
        union = FriendshipUnion.objects.filter(code=item["code"]).first()
        report.count("unions", union is None)
        if union is None:
            union = FriendshipUnion(
                code=item["code"],
                is_home=item.get("is_home", False),
                parent=unions.get(item.get("parent")),
                hotline=item.get("hotline", ""),
                member_count=item.get("member_count"),
            )
            set_translations(union, item["translations"])
            union.save()
        unions[union.code] = union

    for item in data["associations"]:
        association = find_by_slug(MemberAssociation, "en", item["key"])
        report.count("member associations", association is None)
        if association is None:
            association = create_translated(
                MemberAssociation,
                item["key"],
                item["translations"],
                union=unions[item["union"]],
                status=item["status"],
            )
            association.countries.set([countries[code] for code in item["countries"]])

    for item in data["localities"]:
        locality = find_by_slug(PartnerLocality, "en", item["key"])
        report.count("partner localities", locality is None)
        if locality is None:
            locality = create_translated(
                PartnerLocality,
                item["key"],
                item["translations"],
                country=countries[item["country"]],
                kind=item["kind"],
            )
            for agreement in item["agreements"]:
                CooperationAgreement.objects.create(
                    locality=locality,
                    kind=agreement["kind"],
                    signed_on=date.fromisoformat(agreement["signed_on"]),
                    signed_on_precision=agreement["precision"],
                    source=agreement["source"],
                )


# A country has one national day and one date of relations with Vietnam: the kind and the
# country find them. A holiday entered for one year is found by its English name and day.
ONE_PER_COUNTRY = {OccasionKind.NATIONAL_DAY, OccasionKind.DIPLOMATIC_RELATIONS}


def find_occasion(item):
    occasions = Occasion.objects.filter(kind=item["kind"])
    if item["kind"] in ONE_PER_COUNTRY:
        return occasions.filter(country__code=item["country"]).first()
    return occasions.filter(
        date=date.fromisoformat(item["date"]),
        translations__language_code="en",
        translations__name=item["name"]["en"],
    ).first()


def load_occasions(data, report):
    """National days, relations with Vietnam and holidays; agreements' occasions are made
    by relations/signals.py when the agreements are created, so they are not listed here."""
    for item in data["occasions"]:
        occasion = find_occasion(item)
        report.count("occasions", occasion is None)
        if occasion is not None:
            continue
        # Holidays of one year count no years; the others say whether they do.
        one_year_only = item["kind"] == OccasionKind.TRADITIONAL_HOLIDAY
        occasion = Occasion(
            kind=item["kind"],
            date=date.fromisoformat(item["date"]),
            date_precision=item.get("precision", DatePrecision.DAY),
            repeats_yearly=not one_year_only,
            counts_years=item.get("counts_years", not one_year_only),
            country=Country.objects.get(code=item["country"]) if item["country"] else None,
            suggested_action=item["suggested_action"],
            source=item["source"],
        )
        set_translations(occasion, {lang: {"name": name} for lang, name in item["name"].items()})
        occasion.save()


def load_activities(data, report):
    for item in data["activities"]:
        activity = find_by_slug(Activity, "en", item["key"])
        report.count("activities", activity is None)
        if activity is not None:
            continue
        activity = create_translated(
            Activity,
            item["key"],
            item["translations"],
            union=FriendshipUnion.objects.get(code=item["union"]),
            activity_type=item["type"],
            union_role=item["role"],
            starts_on=date.fromisoformat(item["starts_on"]),
            date_precision=item["precision"],
            participants=item.get("participants"),
            beneficiaries=item.get("beneficiaries"),
            scholarships=item.get("scholarships"),
            source=item["source"],
        )
        activity.countries.set(Country.objects.filter(code__in=item.get("countries", [])))
        activity.localities.set(
            find_by_slug(PartnerLocality, "en", key) for key in item.get("localities", [])
        )
        activity.associations.set(
            find_by_slug(MemberAssociation, "en", key) for key in item.get("associations", [])
        )

    for item in data["reported_figures"]:
        _figure, created = ReportedFigure.objects.get_or_create(
            union=FriendshipUnion.objects.get(code=item["union"]),
            year=item["year"],
            metric=item["metric"],
            defaults={
                "qualifier": item["qualifier"],
                "value": Decimal(item["value"]),
                "source": item["source"],
                "quote": item["quote"],
            },
        )
        report.count("reported figures", created)


def load_articles(data, report):
    categories = {}
    for item in data["categories"]:
        category = find_by_slug(Category, "en", item["key"])
        report.count("categories", category is None)
        if category is None:
            category = create_translated(
                Category, item["key"], item["translations"], position=item["position"]
            )
        categories[item["key"]] = category

    tags = {}
    for item in data["tags"]:
        tag = find_by_slug(Tag, "en", item["key"])
        report.count("tags", tag is None)
        if tag is None:
            tag = create_translated(Tag, item["key"], item["translations"])
        tags[item["key"]] = tag

    for item in data["articles"]:
        article = find_by_slug(Article, item["key_language"], item["key"])
        report.count("articles", article is None)
        if article is not None:
            continue
        editions = {}
        for language, edition in item["editions"].items():
            editions[language] = {
                **edition,
                "status": EditionStatus.PUBLISHED,
                "published_at": datetime.fromisoformat(edition["published_at"]),
            }
        article = create_translated(
            Article,
            item["key"],
            editions,
            key_language=item["key_language"],
            source_language=item["source_language"],
            category=categories[item["category"]],
            lead_photo=create_photo(item["lead_photo"]) if "lead_photo" in item else None,
        )
        # The translations of the seed follow their source as it is now.
        for edition in article.translations.exclude(language_code=article.source_language):
            edition.follow_source()
            edition.save()
        article.tags.set(tags[key] for key in item["tags"])
        article.countries.set(Country.objects.filter(code__in=item.get("countries", [])))
        article.localities.set(
            find_by_slug(PartnerLocality, "en", key) for key in item.get("localities", [])
        )
        article.associations.set(
            find_by_slug(MemberAssociation, "en", key) for key in item.get("associations", [])
        )
        article.activities.set(
            find_by_slug(Activity, "en", key) for key in item.get("activities", [])
        )
        for position, photo in enumerate(item.get("gallery", [])):
            GalleryPhoto.objects.create(
                article=article, photo=create_photo(photo), position=position
            )


def load_terms(data, report):
    """The term base, found by each term's key; a person's titles come with the person."""
    for item in data["terms"]:
        if Term.objects.filter(key=item["key"]).exists():
            report.count("terms", False)
            continue
        report.count("terms", True)
        term = Term.objects.create(
            key=item["key"],
            kind=item["kind"],
            note=item.get("note", ""),
            source=item.get("source", ""),
            **{rendering_field(language): item[language] for language in ["vi", "en", "zh-hans"]},
            **{
                f"forbidden_{rendering_field(language)}": "\n".join(variants)
                for language, variants in item.get("forbidden", {}).items()
            },
        )
        for title in item.get("titles", []):
            PersonTitle.objects.create(
                term=term,
                since=date.fromisoformat(title["since"]) if title.get("since") else None,
                until=date.fromisoformat(title["until"]) if title.get("until") else None,
                **{rendering_field(lang): title[lang] for lang in ["vi", "en", "zh-hans"]},
            )


@transaction.atomic
def load_seed_content(fixtures_dir=FIXTURES_DIR):
    """Load every fixture file; all or nothing."""
    report = SeedReport()
    load_organizations(read_fixture("organizations.json", fixtures_dir), report)
    load_occasions(read_fixture("occasions.json", fixtures_dir), report)
    load_activities(read_fixture("activities.json", fixtures_dir), report)
    load_articles(read_fixture("articles.json", fixtures_dir), report)
    load_terms(read_fixture("terms.json", fixtures_dir), report)
    return report
