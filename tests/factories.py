"""Factories for tests: sequences, no randomness. Translated fields are set in the active
language (tests activate English); add another language in the test itself."""

import datetime
from io import BytesIO

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, Category, EditionStatus, Photo, Tag
from events.models import Activity, ActivityType, UnionRole
from organizations.models import (
    Country,
    ForeignNGO,
    FriendshipUnion,
    MemberAssociation,
    PartnerLocality,
)
from relations.models import Occasion, OccasionKind
from translation_desk.models import Term


def jpeg_file(name="photo.jpg", size=(40, 30)):
    buffer = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name=name)


class UserFactory(factory.django.DjangoModelFactory):
    """A staff user; pass ``role=`` (a group name from articles.roles) to give a role."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@newsroom.example")
    is_staff = True
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def role(user, create, extracted, **kwargs):
        if create and extracted:
            user.groups.add(Group.objects.get(name=extracted))


class CountryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Country
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    name = factory.Sequence(lambda n: f"Country {n}")


class FriendshipUnionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FriendshipUnion

    code = factory.Sequence(lambda n: f"union-{n}")
    name = factory.Sequence(lambda n: f"Union of Friendship Organizations {n}")


class MemberAssociationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberAssociation

    union = factory.SubFactory(FriendshipUnionFactory)
    name = factory.Sequence(lambda n: f"Friendship Association {n}")


class PartnerLocalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartnerLocality

    country = factory.SubFactory(CountryFactory)
    kind = "province"
    name = factory.Sequence(lambda n: f"Province {n}")


class OccasionFactory(factory.django.DjangoModelFactory):
    """A national day counted from 1975, every year (pass ``date=``, ``kind=``…)."""

    class Meta:
        model = Occasion

    kind = OccasionKind.NATIONAL_DAY
    name = factory.Sequence(lambda n: f"National Day {n}")
    date = datetime.date(1975, 12, 2)


class ForeignNGOFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ForeignNGO

    name = factory.Sequence(lambda n: f"Foreign NGO {n}")


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    union = factory.SubFactory(FriendshipUnionFactory)
    activity_type = ActivityType.EXCHANGE
    union_role = UnionRole.CHAIRED
    starts_on = datetime.date(2024, 4, 13)
    title = factory.Sequence(lambda n: f"Activity {n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"Tag {n}")


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    image = factory.LazyFunction(jpeg_file)
    caption = factory.Sequence(lambda n: f"Caption {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    """An article with one edition, in the active language, published an hour ago."""

    class Meta:
        model = Article

    category = factory.SubFactory(CategoryFactory)
    title = factory.Sequence(lambda n: f"Article {n}")
    body = "<p>Body.</p>"
    status = EditionStatus.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))


def add_edition(article, language, **fields):
    """Give ``article`` an edition in ``language`` (published an hour ago unless told)."""
    fields.setdefault("title", f"{article} ({language})")
    fields.setdefault("status", EditionStatus.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - datetime.timedelta(hours=1))
    article.set_current_language(language)
    for name, value in fields.items():
        setattr(article, name, value)
    article.save()
    return article


class TermFactory(factory.django.DjangoModelFactory):
    """The Lao governor of the seeds, whose name the English and Chinese articles spelt
    differently: "Alounxai Sounnalath" is the forbidden English variant."""

    class Meta:
        model = Term
        django_get_or_create = ["key"]

    key = "alounxay-sounnalath"
    kind = "person"
    vi = "Alounxay SounNaLath"
    en = "Alounxay SounNaLath"
    zh_hans = "阿伦赛·松那拉"
    forbidden_en = "Alounxai Sounnalath"
