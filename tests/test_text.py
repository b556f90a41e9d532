import unicodedata

import pytest

from friendship_site.text import nfc, slugify_title


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Đẩy mạnh hoạt động đối ngoại", "day-manh-hoat-dong-doi-ngoai"),
        ("Đà Nẵng", "da-nang"),
        (
            "Liên hiệp Bình Dương: đẩy mạnh hoạt động đối ngoại năm 2018",
            "lien-hiep-binh-duong-day-manh-hoat-dong-doi-ngoai-nam-2018",
        ),
        ("平阳省友好组织联合会", "ping-yang-sheng-you-hao-zu-zhi-lian-he-hui"),
        ("2024年日本节", "2024-nian-ri-ben-jie"),
        ("Hội hữu nghị Việt Nam – Lào", "hoi-huu-nghi-viet-nam-lao"),
        ("Vietnam–Cambodia Friendship Association", "vietnam-cambodia-friendship-association"),
        ("越南—东盟友好协会", "yue-nan-dong-meng-you-hao-xie-hui"),
        (
            "Improve the quality of people's foreign affairs",
            "improve-the-quality-of-peoples-foreign-affairs",
        ),
    ],
)
def test_slugify_title_gives_readable_ascii(title, slug):
    assert slugify_title(title) == slug


def test_slugify_title_is_the_same_for_decomposed_vietnamese():
    decomposed = unicodedata.normalize("NFD", "Đẩy mạnh hoạt động đối ngoại")

    assert slugify_title(decomposed) == "day-manh-hoat-dong-doi-ngoai"


def test_slugify_title_of_punctuation_is_empty():
    assert slugify_title("!!! … ???") == ""


def test_slugify_title_cuts_long_titles_at_a_word_boundary():
    slug = slugify_title("hữu nghị " * 40, max_length=30)

    assert slug == "huu-nghi-huu-nghi-huu-nghi"


def test_nfc_composes_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Liên hiệp các tổ chức hữu nghị")

    assert nfc(decomposed) == "Liên hiệp các tổ chức hữu nghị"
    assert nfc(decomposed) != decomposed
