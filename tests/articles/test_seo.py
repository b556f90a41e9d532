import datetime
import json

import pytest
from django.utils import timezone

from articles.models import Article
from articles.renditions import renditions
from articles.seo import news_article_json_ld
from tests.factories import (
    ArticleFactory,
    CategoryFactory,
    FriendshipUnionFactory,
    PhotoFactory,
    add_edition,
    jpeg_file,
)

pytestmark = pytest.mark.django_db


def json_ld(rf, article, language="en"):
    article = Article.objects.for_language(language).for_listing().get(pk=article.pk)
    return news_article_json_ld(article, article.edition(language), rf.get("/"))


def test_json_ld_is_a_news_article_in_the_editions_language(rf):
    published_at = datetime.datetime(2024, 4, 13, 8, 30, tzinfo=datetime.UTC)
    article = add_edition(
        ArticleFactory(title="Laos"),
        "vi",
        title="Hữu nghị Việt Nam – Lào",
        lead="Lời dẫn.",
        published_at=published_at,
    )

    data = json.loads(json_ld(rf, article, "vi"))

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Hữu nghị Việt Nam – Lào"
    assert data["description"] == "Lời dẫn."
    assert data["inLanguage"] == "vi"
    assert data["datePublished"] == "2024-04-13T15:30:00+07:00"


def test_json_ld_date_modified_is_the_editions_update_time(rf):
    article = ArticleFactory()
    updated_at = timezone.localtime(article.edition("en").updated_at)

    data = json.loads(json_ld(rf, article))

    assert data["dateModified"] == updated_at.isoformat(timespec="seconds")


def test_json_ld_description_prefers_the_seo_description(rf):
    article = ArticleFactory(lead="The lead.", seo_description="For search engines.")

    data = json.loads(json_ld(rf, article))

    assert data["description"] == "For search engines."


def test_json_ld_addresses_are_absolute_urls_of_the_edition(rf):
    article = add_edition(ArticleFactory(title="Laos"), "vi", title="Lào")

    data = json.loads(json_ld(rf, article, "vi"))

    assert data["url"] == "http://testserver/vi/articles/lao/"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": data["url"]}


def test_json_ld_image_is_the_absolute_url_of_a_rendition_of_the_lead_photo(rf):
    # A rendition, as og:image: the original may carry EXIF (a GPS position) readers
    # must not get.
    article = ArticleFactory(lead_photo=PhotoFactory(image=jpeg_file(size=(1600, 900))))

    data = json.loads(json_ld(rf, article))

    rendition = renditions(article.lead_photo)[2]
    assert data["image"] == {
        "@type": "ImageObject",
        "url": f"http://testserver{rendition.jpeg_url}",
        "width": 1200,
        "height": 675,
    }


def test_json_ld_has_no_image_without_a_lead_photo(rf):
    data = json.loads(json_ld(rf, ArticleFactory()))

    assert "image" not in data


def test_json_ld_author_is_the_reporter_credit(rf):
    article = ArticleFactory(reporter_credit="Huynh Thuy", translator_credit="Vi Bao")

    data = json.loads(json_ld(rf, article))

    assert data["author"] == {"@type": "Person", "name": "Huynh Thuy"}
    assert data["translator"] == {"@type": "Person", "name": "Vi Bao"}


def test_json_ld_has_no_author_without_a_reporter_credit(rf):
    data = json.loads(json_ld(rf, ArticleFactory(reporter_credit="")))

    assert "author" not in data


def test_json_ld_publisher_is_the_home_union_in_the_editions_language(rf):
    union = FriendshipUnionFactory(is_home=True, name="Binh Duong Union")
    union.set_current_language("vi")
    union.name = "Liên hiệp Bình Dương"
    union.save()
    article = add_edition(ArticleFactory(), "vi")

    data = json.loads(json_ld(rf, article, "vi"))

    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Liên hiệp Bình Dương",
        "url": "http://testserver/vi/",
    }


def test_json_ld_article_section_is_the_category_name_in_the_editions_language(rf):
    category = CategoryFactory(name="Foreign affairs")
    category.set_current_language("vi")
    category.name = "Đối ngoại"
    category.save()
    article = add_edition(ArticleFactory(category=category), "vi")

    data = json.loads(json_ld(rf, article, "vi"))

    assert data["articleSection"] == "Đối ngoại"


def test_json_ld_cannot_end_its_script_element(rf):
    title = "</script><script>alert('x')</script> & <!--"
    article = ArticleFactory(title=title)

    text = json_ld(rf, article)

    assert "<" not in text
    assert ">" not in text
    assert "&" not in text
    assert json.loads(text)["headline"] == title


def test_json_ld_queries_only_the_home_union(rf, django_assert_num_queries):
    FriendshipUnionFactory(is_home=True)
    article = Article.objects.for_language("en").for_listing().get(pk=ArticleFactory().pk)
    request = rf.get("/")

    # The home union, its translation joined in.
    with django_assert_num_queries(1):
        news_article_json_ld(article, article.edition("en"), request)


@pytest.mark.parametrize("has_union", [True, False])
def test_json_ld_given_the_home_union_makes_no_query(rf, has_union, django_assert_num_queries):
    union = FriendshipUnionFactory(is_home=True) if has_union else None
    article = Article.objects.for_language("en").for_listing().get(pk=ArticleFactory().pk)
    request = rf.get("/")

    with django_assert_num_queries(0):
        news_article_json_ld(article, article.edition("en"), request, union=union)
