"""Synthetic newsroom content for load tests and benchmarks (issue 6).

Everything is written with bulk_create, which skips the models' save() and signals: this
module therefore does itself what save() would do (slugs unique per language, NFC text,
bodies that are already safe HTML, the search index, the page cache generation).
The text comes from small vocabularies of the union's domain, in parallel in the three
languages, so that a translation reads as a translation of its source.
"""

import datetime
import random
import time
from dataclasses import dataclass, field
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from articles.models import (
    Article,
    ArticleTranslation,
    Category,
    EditionStatus,
    GalleryPhoto,
    Photo,
    Tag,
)
from events.models import Activity, ActivityTranslation, ActivityType, UnionRole
from friendship_site.cache import bump_content_generation
from friendship_site.text import nfc, slugify_title
from organizations.models import Country, FriendshipUnion, LocalityKind, PartnerLocality
from search.index import entry_values
from search.models import SearchEntry

LANGUAGES = ["vi", "en", "zh-hans"]
BATCH_SIZE = 2000
PHOTO_POOL_SIZE = 12
# Synthetic photos are found again by this part of their file name (see photo_pool()).
PHOTO_NAME = "synthetic-photo-"

# Share of articles (and activities) with an edition in the language; vi is the source.
TRANSLATED_SHARE = {"en": 0.7, "zh-hans": 0.4}
# Share of articles whose source changed after translation: their translations are outdated.
OUTDATED_SHARE = 0.05

# (status, weight); "scheduled" is a published edition whose time is still ahead.
STATUS_WEIGHTS = [
    (EditionStatus.PUBLISHED, 80),
    ("scheduled", 3),
    (EditionStatus.DRAFT, 6),
    (EditionStatus.IN_REVIEW, 4),
    (EditionStatus.CHANGES_REQUESTED, 1),
    (EditionStatus.APPROVED, 2),
    (EditionStatus.UNPUBLISHED, 3),
    (EditionStatus.ARCHIVED, 1),
]

# The vocabularies: each entry is (vi, en, zh-hans).
ACTORS = [
    (
        "Liên hiệp các tổ chức hữu nghị tỉnh",
        "The provincial Union of Friendship Organizations",
        "省友好组织联合会",
    ),
    ("Hội hữu nghị Việt Nam – Lào", "The Vietnam–Laos Friendship Association", "越老友好协会"),
    (
        "Hội hữu nghị Việt Nam – Campuchia",
        "The Vietnam–Cambodia Friendship Association",
        "越柬友好协会",
    ),
    ("Hội hữu nghị Việt – Trung", "The Vietnam–China Friendship Association", "越中友好协会"),
    (
        "Hội hữu nghị Việt Nam – Nhật Bản",
        "The Vietnam–Japan Friendship Association",
        "越日友好协会",
    ),
    ("Hội hữu nghị Việt – Đức", "The Vietnam–Germany Friendship Association", "越德友好协会"),
    ("Ban Thường trực Liên hiệp", "The Union's standing committee", "联合会常务委员会"),
]
ACTIONS = [
    ("tiếp đoàn đại biểu {p}", "receives a delegation from {p}", "接待{p}代表团"),
    (
        "trao học bổng cho sinh viên {p}",
        "awards scholarships to students from {p}",
        "向{p}留学生颁发奖学金",
    ),
    (
        "tổ chức giao lưu hữu nghị với {p}",
        "holds a friendship exchange with {p}",
        "与{p}举行友好交流活动",
    ),
    (
        "ký kết biên bản ghi nhớ hợp tác với {p}",
        "signs a memorandum of cooperation with {p}",
        "与{p}签署合作备忘录",
    ),
    ("tham dự lễ hội văn hóa {p}", "attends the {p} cultural festival", "出席{p}文化节"),
    (
        "cùng tổ chức phi chính phủ {p} trao quà nhân đạo",
        "delivers humanitarian aid with NGOs from {p}",
        "与{p}非政府组织开展人道主义援助",
    ),
    (
        "kỷ niệm ngày thiết lập quan hệ ngoại giao với {p}",
        "marks the anniversary of diplomatic relations with {p}",
        "纪念与{p}建交周年",
    ),
    (
        "đẩy mạnh công tác đối ngoại nhân dân với {p}",
        "steps up people-to-people diplomacy with {p}",
        "推进对{p}民间对外工作",
    ),
    ("thăm và làm việc tại {p}", "visits and works in {p}", "赴{p}访问并开展工作"),
]
PARTNERS = [
    ("Lào", "Laos", "老挝"),
    ("Campuchia", "Cambodia", "柬埔寨"),
    ("Trung Quốc", "China", "中国"),
    ("Nhật Bản", "Japan", "日本"),
    ("Hàn Quốc", "the Republic of Korea", "韩国"),
    ("Đức", "Germany", "德国"),
    ("Liên bang Nga", "Russia", "俄罗斯"),
    ("Cu Ba", "Cuba", "古巴"),
    ("tỉnh Champasak", "Champasak province", "占巴塞省"),
    ("tỉnh Quảng Tây", "Guangxi", "广西"),
    ("tỉnh Yamaguchi", "Yamaguchi prefecture", "山口县"),
    ("thành phố Heidelberg", "the city of Heidelberg", "海德堡市"),
    ("tỉnh Xiêng Khoảng", "Xieng Khouang province", "川圹省"),
]
OCCASIONS = [
    ("năm {y}", "in {y}", "（{y}年）"),
    ("lần thứ {k}", "for the {k}th time", "（第{k}次）"),
    ("nhiệm kỳ {y}–{y2}", "for the {y}–{y2} term", "（{y}—{y2}年任期）"),
    ("đợt {k} năm {y}", "round {k} of {y}", "（{y}年第{k}批）"),
]
SENTENCES = [
    (
        "Hoạt động góp phần vun đắp tình hữu nghị truyền thống giữa Việt Nam và {p}.",
        "The activity strengthens the traditional friendship between Vietnam and {p}.",
        "此次活动进一步巩固了越南与{p}之间的传统友谊。",
    ),
    (
        "Phát biểu tại buổi làm việc, lãnh đạo Liên hiệp nhấn mạnh vai trò của công tác đối "
        "ngoại nhân dân.",
        "Speaking at the meeting, the Union's leaders stressed the role of people-to-people "
        "diplomacy.",
        "联合会领导在会上强调了民间对外工作的重要作用。",
    ),
    (
        "Dịp này, {n} suất học bổng đã được trao cho sinh viên có hoàn cảnh khó khăn.",
        "On this occasion, {n} scholarships were awarded to students in difficult circumstances.",
        "活动期间，向家庭困难的学生颁发了{n}份奖学金。",
    ),
    (
        "Hai bên đã trao đổi về kết quả hợp tác và thống nhất phương hướng trong thời gian tới.",
        "Both sides reviewed the results of their cooperation and agreed on the way ahead.",
        "双方回顾了合作成果，并就下一阶段的方向达成一致。",
    ),
    (
        "Đoàn đã đến thăm các cơ sở giáo dục, y tế và khu công nghiệp của tỉnh.",
        "The delegation visited schools, hospitals and industrial parks of the province.",
        "代表团参观了本省的学校、医院和工业园区。",
    ),
    (
        "Chương trình thu hút hơn {n} đại biểu, thanh niên và người dân tham gia.",
        "More than {n} delegates, young people and residents took part in the programme.",
        "该活动吸引了{n}多名代表、青年和群众参加。",
    ),
    (
        "Các tổ chức phi chính phủ nước ngoài đã cam kết viện trợ cho các dự án nước sạch và "
        "trường học.",
        "Foreign non-governmental organizations pledged aid to clean-water and school projects.",
        "外国非政府组织承诺援助清洁用水和学校项目。",
    ),
    (
        "Nhân dịp này, các đại biểu đã cùng trồng cây hữu nghị và giao lưu văn nghệ.",
        "The delegates planted friendship trees and joined a cultural performance.",
        "代表们共同种植了友谊树，并参加了文艺交流。",
    ),
]
REPORTERS = ["Huỳnh Thủy", "Nguyễn Minh Anh", "Trần Quốc Bảo", "Lê Thị Hồng", "Phạm Đức Long"]
TRANSLATORS = {
    "en": ["Vi Bảo", "Đỗ Lan Chi", "Hoàng Nam"],
    "zh-hans": ["Lý Mỹ Linh", "Trương Vĩ", "Quách Tuệ"],
}
PLACES = [
    ("Hội trường Liên hiệp", "The Union's hall", "联合会会堂"),
    ("Trung tâm Hội nghị tỉnh", "The provincial convention centre", "省会议中心"),
    ("Nhà văn hóa thanh niên", "The youth cultural house", "青年文化宫"),
    ("Trường Đại học Thủ Dầu Một", "Thu Dau Mot University", "土龙木大学"),
]

# Created when missing (looked up by their Vietnamese name), else reused.
CATEGORIES = [
    ("Đối ngoại nhân dân", "People-to-people diplomacy", "民间外交"),
    ("Hợp tác quốc tế", "International cooperation", "国际合作"),
    ("Viện trợ phi chính phủ", "NGO aid", "非政府援助"),
    ("Giáo dục – Học bổng", "Education and scholarships", "教育与奖学金"),
    ("Văn hóa – Giao lưu", "Culture and exchanges", "文化交流"),
]
TAGS = [
    ("hữu nghị", "friendship", "友好"),
    ("Lào", "Laos", "老挝"),
    ("Campuchia", "Cambodia", "柬埔寨"),
    ("học bổng", "scholarships", "奖学金"),
    ("đối ngoại nhân dân", "people's diplomacy", "民间对外工作"),
    ("viện trợ", "aid", "援助"),
    ("lễ hội", "festivals", "节日"),
    ("thanh niên", "youth", "青年"),
]
COUNTRIES = [
    ("LA", "Lào", "Laos", "老挝"),
    ("KH", "Campuchia", "Cambodia", "柬埔寨"),
    ("CN", "Trung Quốc", "China", "中国"),
    ("JP", "Nhật Bản", "Japan", "日本"),
    ("KR", "Hàn Quốc", "Republic of Korea", "韩国"),
    ("DE", "Đức", "Germany", "德国"),
    ("RU", "Nga", "Russia", "俄罗斯"),
    ("CU", "Cu Ba", "Cuba", "古巴"),
]
LOCALITIES = [
    ("LA", LocalityKind.PROVINCE, ("Champasak", "Champasak", "占巴塞省")),
    ("LA", LocalityKind.PROVINCE, ("Xiêng Khoảng", "Xieng Khouang", "川圹省")),
    ("CN", LocalityKind.PROVINCE, ("Quảng Tây", "Guangxi", "广西")),
    ("JP", LocalityKind.PREFECTURE, ("Yamaguchi", "Yamaguchi", "山口县")),
    ("DE", LocalityKind.CITY, ("Heidelberg", "Heidelberg", "海德堡")),
    ("KR", LocalityKind.CITY, ("Gyeongju", "Gyeongju", "庆州")),
]


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    timings: dict = field(default_factory=dict)

    def add(self, name, number=1):
        self.counts[name] = self.counts.get(name, 0) + number

    def lines(self):
        yield from (f"{name}: {number}" for name, number in self.counts.items())
        yield from (f"{name}: {seconds:.1f} s" for name, seconds in self.timings.items())


class Timer:
    def __init__(self, report, name):
        self.report, self.name = report, name

    def __enter__(self):
        self.start = time.perf_counter()

    def __exit__(self, *exc):
        elapsed = time.perf_counter() - self.start
        self.report.timings[self.name] = self.report.timings.get(self.name, 0) + elapsed


def generate(articles, events, seed=0, index=True):
    """Create ``articles`` articles and ``events`` activities; return a Report."""
    rng = random.Random(seed)
    report = Report()
    started = time.perf_counter()
    with transaction.atomic():
        with Timer(report, "reference data"):
            reference = reference_data(report)
        with Timer(report, "activities"):
            activity_ids = create_activities(rng, events, reference, report)
        create_articles(rng, articles, reference, activity_ids, report, index)
    bump_content_generation()
    report.timings["total"] = time.perf_counter() - started
    return report


# Reference data: categories, tags, countries, localities, the union, the photo pool.


def translated(model, names, report, label, **fields):
    """The object of ``model`` whose Vietnamese name is ``names[0]``, created if missing."""
    existing = model.objects.filter(
        translations__language_code="vi", translations__name=names[0]
    ).first()
    if existing:
        return existing
    obj = model(**fields)
    for language, name in zip(LANGUAGES, names, strict=True):
        obj.set_current_language(language)
        obj.name = name
    obj.save()
    report.add(label)
    return obj


def reference_data(report):
    union = FriendshipUnion.objects.home()
    if union is None:
        union = FriendshipUnion(code="synthetic-union", is_home=True)
        union.set_current_language("vi")
        union.name = "Liên hiệp các tổ chức hữu nghị tỉnh (dữ liệu thử)"
        union.save()
        report.add("unions created")
    countries = {}
    for code, *names in COUNTRIES:
        country = Country.objects.filter(code=code).first()
        if country is None:
            country = Country(code=code)
            for language, name in zip(LANGUAGES, names, strict=True):
                country.set_current_language(language)
                country.name = name
            country.save()
            report.add("countries created")
        countries[code] = country
    for code, kind, names in LOCALITIES:
        translated(
            PartnerLocality, names, report, "localities created", country=countries[code], kind=kind
        )
    for names in CATEGORIES:
        translated(Category, names, report, "categories created")
    for names in TAGS:
        translated(Tag, names, report, "tags created")
    # All of them, the seed's included, in a fixed order so that a seed gives one result.
    return {
        "union": union,
        "categories": list(Category.objects.order_by("pk").values_list("pk", flat=True)),
        "tags": list(Tag.objects.order_by("pk").values_list("pk", flat=True)),
        "countries": list(Country.objects.order_by("pk").values_list("pk", flat=True)),
        "localities": list(PartnerLocality.objects.order_by("pk").values_list("pk", flat=True)),
        "photos": photo_pool(report),
    }


def photo_pool(report):
    """PHOTO_POOL_SIZE small JPEGs, made once and shared by every synthetic article."""
    photos = list(Photo.objects.filter(image__contains=PHOTO_NAME).order_by("pk"))
    for number in range(len(photos), PHOTO_POOL_SIZE):
        colour = (40 + number * 17 % 200, 90 + number * 29 % 150, 160 - number * 11 % 120)
        buffer = BytesIO()
        Image.new("RGB", (320, 200), colour).save(buffer, format="JPEG", quality=80)
        photo = Photo(image=ContentFile(buffer.getvalue(), name=f"{PHOTO_NAME}{number + 1}.jpg"))
        for language, caption in zip(LANGUAGES, PARTNERS[number % len(PARTNERS)], strict=True):
            photo.set_current_language(language)
            photo.caption = nfc(caption)
            photo.alt_text = nfc(caption)
        photo.save()
        photos.append(photo)
        report.add("photos created")
    return [photo.pk for photo in photos]


# Text.


def phrase(rng):
    """Pick a title's parts; returns the three titles and the partner's names."""
    actor = rng.choice(ACTORS)
    action = rng.choice(ACTIONS)
    partner = rng.choice(PARTNERS)
    occasion = rng.choice(OCCASIONS)
    year = rng.randint(2015, 2026)
    values = {"y": year, "y2": year + 5, "k": rng.randint(1, 40)}
    titles = []
    for i, language in enumerate(LANGUAGES):
        act = action[i].format(p=partner[i])
        when = occasion[i].format(**values)
        if language == "zh-hans":
            titles.append(f"{actor[i]}{act}{when}")
        else:
            titles.append(f"{actor[i]} {act} {when}")
    return [nfc(title) for title in titles], partner


def paragraphs(rng, partner, count):
    """``count`` paragraphs in the three languages, as simple safe HTML."""
    texts = {language: [] for language in LANGUAGES}
    for _ in range(count):
        chosen = rng.sample(SENTENCES, 3)
        number = rng.randint(10, 300)
        for i, language in enumerate(LANGUAGES):
            joiner = "" if language == "zh-hans" else " "
            text = joiner.join(s[i].format(p=partner[i], n=number) for s in chosen)
            texts[language].append(nfc(text))
    return texts


def weighted_status(rng):
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)
    return rng.choices(statuses, weights)[0]


def publication(rng, status, now, after=None):
    """The stored status and publication time of an edition in ``status``."""
    if status == "scheduled":
        return EditionStatus.PUBLISHED, now + datetime.timedelta(minutes=rng.randint(60, 43200))
    if status in (EditionStatus.PUBLISHED, EditionStatus.UNPUBLISHED, EditionStatus.ARCHIVED):
        if after is not None:
            published_at = min(now, after + datetime.timedelta(hours=rng.randint(1, 72)))
        else:
            published_at = now - datetime.timedelta(minutes=rng.randint(10, 5 * 365 * 1440))
        return status, published_at
    return status, None


# Activities.


def create_activities(rng, count, reference, report):
    today = timezone.localdate()
    ids = []
    for start in range(0, count, BATCH_SIZE):
        size = min(BATCH_SIZE, count - start)
        activities, texts = [], []
        for _ in range(size):
            activity_type = rng.choice(ActivityType.values)
            starts_on = today - datetime.timedelta(days=rng.randint(-60, 5 * 365))
            activities.append(
                Activity(
                    union=reference["union"],
                    activity_type=activity_type,
                    union_role=rng.choice(UnionRole.values),
                    starts_on=starts_on,
                    ends_on=starts_on + datetime.timedelta(days=rng.randint(0, 4)),
                    participants=rng.randint(10, 500),
                    scholarships=(
                        rng.randint(5, 50) if activity_type == ActivityType.SCHOLARSHIP else None
                    ),
                    aid_approved=True if activity_type == ActivityType.AID_PROJECT else None,
                    source="synthetic",
                )
            )
            titles, partner = phrase(rng)
            summaries = paragraphs(rng, partner, 1)
            place = rng.choice(PLACES)
            languages = ["vi"] + [
                language for language, share in TRANSLATED_SHARE.items() if rng.random() < share
            ]
            countries = rng.sample(reference["countries"], rng.randint(1, 2))
            localities = rng.sample(reference["localities"], rng.randint(0, 1))
            texts.append((titles, summaries, place, languages, countries, localities))
        Activity.objects.bulk_create(activities)
        translations, country_links, locality_links = [], [], []
        for activity, (titles, summaries, place, languages, countries, localities) in zip(
            activities, texts, strict=True
        ):
            for language in languages:
                i = LANGUAGES.index(language)
                translations.append(
                    ActivityTranslation(
                        master_id=activity.pk,
                        language_code=language,
                        title=titles[i],
                        slug=f"{slugify_title(titles[i], max_length=180)}-{activity.pk}",
                        summary=summaries[language][0],
                        place=nfc(place[i]),
                    )
                )
            country_links += [
                Activity.countries.through(activity_id=activity.pk, country_id=pk)
                for pk in countries
            ]
            locality_links += [
                Activity.localities.through(activity_id=activity.pk, partnerlocality_id=pk)
                for pk in localities
            ]
        ActivityTranslation.objects.bulk_create(translations)
        Activity.countries.through.objects.bulk_create(country_links)
        Activity.localities.through.objects.bulk_create(locality_links)
        ids += [activity.pk for activity in activities]
        report.add("activities", len(activities))
        report.add("activity translations", len(translations))
    return ids


# Articles.


def create_articles(rng, count, reference, activity_ids, report, index):
    now = timezone.now()
    for start in range(0, count, BATCH_SIZE):
        size = min(BATCH_SIZE, count - start)
        with Timer(report, "articles"):
            articles, plans = [], []
            for _ in range(size):
                articles.append(
                    Article(
                        source_language="vi",
                        category_id=rng.choice(reference["categories"]),
                        lead_photo_id=rng.choice(reference["photos"]),
                    )
                )
                plans.append(article_plan(rng, reference, activity_ids, now))
            Article.objects.bulk_create(articles)
            editions, links = [], {"tags": [], "countries": [], "activities": [], "gallery": []}
            for article, plan in zip(articles, plans, strict=True):
                editions += article_editions(article, plan)
                article_links(article, plan, links)
            ArticleTranslation.objects.bulk_create(editions)
            Article.tags.through.objects.bulk_create(links["tags"])
            Article.countries.through.objects.bulk_create(links["countries"])
            Article.activities.through.objects.bulk_create(links["activities"])
            GalleryPhoto.objects.bulk_create(links["gallery"])
        if index:
            with Timer(report, "search index"):
                SearchEntry.objects.bulk_create(
                    SearchEntry(
                        edition_id=edition.pk,
                        **entry_values(
                            edition.language_code, edition.title, edition.lead, edition.body
                        ),
                    )
                    for edition in editions
                )
            report.add("search entries", len(editions))
        report.add("articles", len(articles))
        for edition in editions:
            report.add(f"editions {edition.language_code}")
        report.add("tag links", len(links["tags"]))


def article_plan(rng, reference, activity_ids, now):
    """Everything about one article decided by the random generator, before its pk exists."""
    titles, partner = phrase(rng)
    texts = paragraphs(rng, partner, rng.randint(3, 5))
    outdated = rng.random() < OUTDATED_SHARE
    source_status, source_time = publication(rng, weighted_status(rng), now)
    editions = {"vi": (source_status, source_time, rng.choice(REPORTERS), "")}
    for language, share in TRANSLATED_SHARE.items():
        if rng.random() < share:
            status = weighted_status(rng) if source_time else EditionStatus.DRAFT
            status, published_at = publication(rng, status, now, after=source_time)
            editions[language] = (status, published_at, "", rng.choice(TRANSLATORS[language]))
    return {
        "titles": titles,
        "texts": texts,
        "outdated": outdated,
        "editions": editions,
        "tags": rng.sample(reference["tags"], rng.randint(0, 3)),
        "countries": rng.sample(reference["countries"], rng.randint(0, 2)),
        "activity": rng.choice(activity_ids) if activity_ids and rng.random() < 0.3 else None,
        "gallery": rng.sample(reference["photos"], 3) if rng.random() < 0.1 else [],
    }


def article_editions(article, plan):
    reporter = plan["editions"]["vi"][2]
    for language, (status, published_at, _, translator) in plan["editions"].items():
        i = LANGUAGES.index(language)
        title = plan["titles"][i]
        lead, *body = plan["texts"][language]
        is_source = language == "vi"
        yield ArticleTranslation(
            master_id=article.pk,
            article_category_id=article.category_id,
            language_code=language,
            title=title,
            slug=f"{slugify_title(title, max_length=180)}-{article.pk}",
            lead=lead,
            body="".join(f"<p>{escape(text)}</p>" for text in body),
            seo_description=lead[:300],
            reporter_credit=reporter,
            translator_credit=translator,
            status=status,
            published_at=published_at,
            version=1,
            # An outdated translation follows version 1 of a source now at version 2.
            content_version=2 if is_source and plan["outdated"] else 1,
            content_changed_at=published_at if is_source and plan["outdated"] else None,
            source_content_version=None if is_source else 1,
        )


def article_links(article, plan, links):
    through = Article.tags.through
    links["tags"] += [through(article_id=article.pk, tag_id=pk) for pk in plan["tags"]]
    through = Article.countries.through
    links["countries"] += [
        through(article_id=article.pk, country_id=pk) for pk in plan["countries"]
    ]
    if plan["activity"]:
        through = Article.activities.through
        links["activities"].append(through(article_id=article.pk, activity_id=plan["activity"]))
    links["gallery"] += [
        GalleryPhoto(article_id=article.pk, photo_id=pk, position=position)
        for position, pk in enumerate(plan["gallery"])
    ]
