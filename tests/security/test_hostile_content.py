"""Hostile text from writers (or from a stolen newsroom account) never runs in a reader's
browser: article bodies are sanitized on save, and every other text is escaped wherever it
is printed (pages, feeds, JSON-LD, meta tags, the admin).

Pages are checked by parsing them (html.parser, as a browser would tokenize them), never by
looking for substrings: "&lt;script&gt;" is harmless text, "<script>" is not.
"""

import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from articles.models import Article, ArticleTranslation
from tests.factories import ArticleFactory, CategoryFactory, PhotoFactory, TagFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<script src=//evil.example/x.js></script>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnErRoR=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">link</a>',
    '<a href="java&#x09;script:alert(1)">link</a>',
    '<a href=" \tjava\nscript:alert(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">link</a>',
    '<a href="vbscript:msgbox(1)">link</a>',
    '<img src="javascript:alert(1)">',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<p style="background:url(javascript:alert(1))">styled</p>',
    '<p style="width:expression(alert(1))">styled</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<math href="javascript:alert(1)">maths</math>',
    '<form action="javascript:alert(1)"><button>send</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="https://evil.example/">',
    '<p onmouseover="alert(1)">unclosed <strong>bold <a href="javascript:alert(1)',
    "<!--<script>alert(1)</script>--><p>after a comment</p>",
    "--><script>alert(1)</script><!--",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    '<a href="java\x00script:alert(1)">link</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<details open ontoggle=alert(1)>details</details>",
]

# Texts printed escaped (titles, leads, captions, names): each one tries to leave its
# context (an element, an attribute, a <script>, a CDATA section).
HOSTILE_TEXTS = [
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "]]><x>&amp;<!-- ' \"",
    "Bell\x07 escape\x1b vertical\x0b tab",
]

# Elements no article body may hold, whatever their attributes.
FORBIDDEN_ELEMENTS = {
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
    "base", "form", "meta", "link", "svg", "math", "noscript", "template",
}  # fmt: skip
# Attributes that take a URL a browser may load or navigate to.
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "xlink:href", "poster", "background",
    "srcset", "cite", "longdesc", "dynsrc", "lowsrc",
}  # fmt: skip
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
# Browsers drop these from a URL before reading its scheme (WHATWG URL: tab and newline
# anywhere, C0 controls and spaces at either end); a check must do the same.
IGNORED_IN_URLS_RE = re.compile(r"[\x00-\x20\x7f]")
# What XML 1.0 cannot carry at all (even escaped): control characters but tab and newlines.
XML_ILLEGAL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class ElementCollector(HTMLParser):
    """Every start tag with its attributes (names lowered, values entity-decoded), and every
    <script> element with its text, as a browser's tokenizer sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.scripts = []  # (attributes, text)
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attributes = {name.lower(): value or "" for name, value in attrs}
        self.elements.append((tag.lower(), attributes))
        if tag.lower() == "script":
            self._in_script = True
            self.scripts.append((attributes, []))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1][1].append(data)

    def handle_endtag(self, tag):
        if tag.lower() == "script":
            self._in_script = False


def parse(markup):
    collector = ElementCollector()
    collector.feed(markup)
    collector.close()
    return collector


def is_dangerous_url(value):
    return IGNORED_IN_URLS_RE.sub("", html.unescape(value)).lower().startswith(DANGEROUS_SCHEMES)


def is_dangerous_style(value):
    value = IGNORED_IN_URLS_RE.sub("", html.unescape(value)).lower()
    return any(sign in value for sign in ("expression(", "url(", "javascript:", "@import"))


def executable_constructs(markup, allowed_elements=frozenset(), style_attributes=False):
    """What in ``markup`` could run script or load a hostile page; [] when nothing.

    ``style_attributes``: whether inline styles are expected (then only those that can
    load or compute something are reported).
    """
    found = []
    for tag, attributes in parse(markup).elements:
        if tag in FORBIDDEN_ELEMENTS - allowed_elements:
            found.append(f"<{tag}>")
        for name, value in attributes.items():
            if name.startswith("on"):
                found.append(f"<{tag} {name}>")
            elif name == "style" and (not style_attributes or is_dangerous_style(value)):
                found.append(f"<{tag} style>")
            elif name in URL_ATTRIBUTES and is_dangerous_url(value):
                found.append(f"<{tag} {name}={value!r}>")
    return found


JSON_LD = "application/ld+json"
# Scripts a page may hold: data (JSON-LD, Django's json_script) and files of this site.
DATA_SCRIPT_TYPES = {JSON_LD, "application/json"}
PAGE_ELEMENTS = {"meta", "link", "form", "script"}
# The admin also draws its icons with inline <svg>.
ADMIN_ELEMENTS = {*PAGE_ELEMENTS, "svg"}


def is_our_script(attributes, text):
    if attributes.get("type") in DATA_SCRIPT_TYPES:
        return True
    src = attributes.get("src", "")
    return src.startswith("/") and not src.startswith("//") and not "".join(text).strip()


def page_constructs(markup, allowed_elements=PAGE_ELEMENTS):
    """Like executable_constructs(), for a whole page: its own <meta>, <link>, search
    <form> and scripts (data, files of this site) are expected; any other script is not."""
    found = executable_constructs(markup, allowed_elements, style_attributes=True)
    collector = parse(markup)
    found += [
        f"<script {attributes}>{''.join(text)}"
        for attributes, text in collector.scripts
        if not is_our_script(attributes, text)
    ]
    found += [
        "<meta http-equiv>"
        for tag, attributes in collector.elements
        if tag == "meta" and "http-equiv" in attributes
    ]
    return found


def test_executable_constructs_finds_what_a_browser_would_run():
    # The checker itself must be able to fail, or every test below proves nothing.
    assert executable_constructs('<p>x</p><a href="https://example.org/">ok</a>') == []
    assert executable_constructs("<SCRIPT>alert(1)</SCRIPT>") == ["<script>"]
    assert executable_constructs('<img src=x OnError="alert(1)">') == ["<img onerror>"]
    assert executable_constructs('<a href=" java&#x09;script:alert(1)">x</a>') == [
        "<a href=' java\\tscript:alert(1)'>"
    ]
    assert executable_constructs('<p style="x:expression(1)">x</p>') == ["<p style>"]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_saved_body_holds_nothing_executable(payload):
    article = ArticleFactory(body=f"<p>Before.</p>{payload}<p>After.</p>")

    stored = Article.objects.get(pk=article.pk).edition("en").body

    assert executable_constructs(stored) == []


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_article_page_prints_nothing_executable_from_the_body(client, payload):
    article = ArticleFactory(body=f"<p>Before.</p>{payload}<p>After.</p>")

    response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    assert page_constructs(response.text) == []


@pytest.mark.parametrize("payload", XSS_PAYLOADS[:12])
def test_article_page_sanitizes_a_body_that_skipped_save(client, payload):
    # bulk_create, queryset.update() or a restored database never call save().
    article = ArticleFactory()
    ArticleTranslation.objects.filter(master=article).update(body=f"<p>Text.</p>{payload}")

    response = client.get(article.get_absolute_url())

    assert page_constructs(response.text) == []
    assert "Text." in texts_of(response.text, "p")


def test_body_keeps_what_the_editor_offers():
    body = (
        '<h2>Heading</h2><p><strong>Bold</strong>, <em>italic</em> and <a href="https://'
        'example.org/">a link</a>.</p><ul><li>One</li></ul><blockquote><p>Quote</p></blockquote>'
    )
    article = ArticleFactory(body=body)

    assert Article.objects.get(pk=article.pk).edition("en").body == body


# Every place a writer's or editor's short text is printed.


def json_ld_of(markup):
    """The JSON-LD data of the page, and the raw text of its script element."""
    scripts = [
        "".join(text)
        for attributes, text in parse(markup).scripts
        if attributes.get("type") == JSON_LD
    ]
    assert len(scripts) == 1
    return json.loads(scripts[0]), scripts[0]


def meta_property(markup, name):
    return [
        attributes.get("content")
        for tag, attributes in parse(markup).elements
        if tag == "meta" and name in (attributes.get("property"), attributes.get("name"))
    ]


def texts_of(markup, tag):
    """The text content of every ``tag`` element (entities decoded)."""

    class TextCollector(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.depth, self.texts = 0, []

        def handle_starttag(self, name, attrs):
            if name == tag:
                self.depth += 1
                self.texts.append("")

        def handle_endtag(self, name):
            if name == tag:
                self.depth -= 1

        def handle_data(self, data):
            if self.depth:
                self.texts[-1] += data

    collector = TextCollector()
    collector.feed(markup)
    return [" ".join(text.split()) for text in collector.texts]


def spaced(text):
    return " ".join(text.split())


@pytest.fixture
def hostile_article(request):
    text = request.param
    return ArticleFactory(
        title=f"Title {text}",
        lead=f"Lead {text}",
        seo_description="",
        reporter_credit=f"Reporter {text}",
        category=CategoryFactory(name=f"Category {text}"),
        lead_photo=PhotoFactory(caption=f"Caption {text}", credit=f"Credit {text}"),
    )


def with_tag(article, text):
    article.tags.add(TagFactory(name=f"Tag {text}"))
    return article


hostile = pytest.mark.parametrize("hostile_article", HOSTILE_TEXTS, indirect=True)


@hostile
def test_article_page_escapes_titles_leads_captions_and_names(client, hostile_article):
    text = hostile_article.title.removeprefix("Title ")
    with_tag(hostile_article, text)

    page = client.get(hostile_article.get_absolute_url()).text

    assert page_constructs(page) == []
    assert texts_of(page, "h1") == [spaced(f"Title {text}")]
    assert spaced(f"Lead {text}") in texts_of(page, "p")
    assert spaced(f"Caption {text} Credit {text}") in texts_of(page, "figcaption")
    assert spaced(f"Tag {text}") in texts_of(page, "a")
    assert spaced(f"Category {text}") in texts_of(page, "a")


@hostile
def test_article_page_meta_tags_hold_the_title_as_text(client, hostile_article):
    text = hostile_article.title.removeprefix("Title ")

    page = client.get(hostile_article.get_absolute_url()).text

    assert meta_property(page, "og:title") == [f"Title {text}"]
    assert meta_property(page, "twitter:title") == [f"Title {text}"]
    assert meta_property(page, "og:description") == [f"Lead {text}"]


@hostile
def test_json_ld_reads_back_as_the_original_text(client, hostile_article):
    text = hostile_article.title.removeprefix("Title ")

    data, raw = json_ld_of(client.get(hostile_article.get_absolute_url()).text)

    assert data["headline"] == f"Title {text}"
    assert data["description"] == f"Lead {text}"
    assert data["articleSection"] == f"Category {text}"
    assert data["author"]["name"] == f"Reporter {text}"


@hostile
def test_json_ld_script_cannot_be_closed_or_commented_out(client, hostile_article):
    page = client.get(hostile_article.get_absolute_url()).text

    _, raw = json_ld_of(page)

    assert "</script" not in raw.lower()
    assert "<!--" not in raw
    assert "<" not in raw  # nor "<script" (the "double escaped" state of the HTML parser)


@hostile
def test_article_list_escapes_titles_and_category_names(client, hostile_article):
    text = hostile_article.title.removeprefix("Title ")
    with translation.override("en"):
        url = reverse("articles:list")

    page = client.get(url).text

    assert page_constructs(page) == []
    assert spaced(f"Title {text}") in texts_of(page, "h3")


@hostile
def test_category_and_tag_pages_escape_their_names(client, hostile_article):
    text = hostile_article.title.removeprefix("Title ")
    tag = with_tag(hostile_article, text).tags.get()

    pages = [
        client.get(hostile_article.category.get_absolute_url()).text,
        client.get(reverse("articles:tag", kwargs={"slug": tag.slug})).text,
    ]

    for page in pages:
        assert page_constructs(page) == []
        assert spaced(f"Title {text}") in texts_of(page, "h3")


@hostile
def test_search_results_escape_titles_and_snippets(client, hostile_article):
    text = hostile_article.title.removeprefix("Title ")

    page = client.get(reverse("search:results"), {"q": "title"}).text

    assert page_constructs(page) == []
    assert texts_of(page, "h2")[0] == spaced(f"Title {text}")


def test_search_results_escape_the_query(client):
    page = client.get(reverse("search:results"), {"q": HOSTILE_TEXTS[1]}).text

    assert page_constructs(page) == []


def xml_text(text):
    return XML_ILLEGAL_RE.sub("", text)


@hostile
def test_rss_feed_is_well_formed_and_reads_back_as_the_original_text(client, hostile_article):
    text = hostile_article.title.removeprefix("Title ")

    response = client.get(reverse("feed"))

    item = ET.fromstring(response.content).find("channel/item")
    # RSS readers take titles and descriptions as HTML: once escaped for that, once for XML.
    assert html.unescape(item.findtext("title")) == xml_text(f"Title {text}")
    assert html.unescape(item.findtext("description")) == xml_text(f"Lead {text}")
    categories = {element.text for element in item.findall("category")}
    assert xml_text(f"Category {text}") in categories


@hostile
def test_atom_feed_is_well_formed_and_reads_back_as_the_original_text(client, hostile_article):
    text = hostile_article.title.removeprefix("Title ")

    response = client.get(reverse("feed_atom"))

    entry = ET.fromstring(response.content).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == xml_text(f"Title {text}")
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == xml_text(f"Reporter {text}")


@hostile
def test_category_feed_is_well_formed_with_a_hostile_category_name(client, hostile_article):
    text = hostile_article.title.removeprefix("Title ")
    slug = hostile_article.category.slug

    response = client.get(reverse("category_feed", kwargs={"slug": slug}))

    channel = ET.fromstring(response.content).find("channel")
    assert channel.findtext("title").endswith(xml_text(f"Category {text}"))


@hostile
def test_admin_changelists_escape_titles_and_captions(client, newsroom, hostile_article):
    with_tag(hostile_article, hostile_article.title.removeprefix("Title "))
    client.force_login(newsroom["editor"])

    for model in ("article", "photo", "category", "tag"):
        response = client.get(reverse(f"admin:articles_{model}_changelist"))

        assert response.status_code == 200
        assert page_constructs(response.text, ADMIN_ELEMENTS) == []
