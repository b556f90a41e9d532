"""Text rules shared by every app: Unicode NFC storage and readable ASCII slugs."""

import re
import unicodedata

from django.db import models
from django.db.models.signals import pre_save
from django.utils.text import slugify
from pypinyin import lazy_pinyin

# Unicode blocks of CJK ideographs (basic, extension A, compatibility).
CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# C0 control characters but tab, newline and carriage return, and DEL: pasted from PDFs and
# word processors, invisible, and not allowed in XML (feeds) nor, for NUL, in PostgreSQL.
CONTROL_CHARACTERS_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Dashes and slashes join words ("Vietnam–Laos", "2025/2030"): keep them apart in slugs.
WORD_JOINERS_RE = re.compile(r"[\u2010-\u2015\u2212/·:]")


def nfc(value):
    """Return ``value`` in Unicode NFC; non-strings are returned unchanged."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


def normalize_text_fields(sender, instance, **kwargs):
    """pre_save receiver: store every text field in NFC, without control characters.

    Vietnamese typed on some keyboards (macOS, some Telex set-ups) arrives decomposed
    ("e" + combining circumflex + combining acute); stored that way, search, slugs and
    uniqueness checks silently disagree with the same word typed elsewhere.
    """
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                value = CONTROL_CHARACTERS_RE.sub("", unicodedata.normalize("NFC", value))
                setattr(instance, field.attname, value)


def connect_text_normalization(app_config):
    """Connect :func:`normalize_text_fields` to every model of ``app_config``."""
    for model in app_config.get_models():
        pre_save.connect(
            normalize_text_fields,
            sender=model,
            dispatch_uid=f"nfc-{model._meta.label_lower}",
        )


def to_ascii(text):
    """Vietnamese (or any Latin script) to plain ASCII: "Đà Nẵng" -> "Da Nang".

    Django's slugify drops "đ" because it has no decomposition; map it first.
    """
    text = unicodedata.normalize("NFD", text).replace("đ", "d").replace("Đ", "D")
    return "".join(char for char in text if not unicodedata.combining(char))


def slugify_title(text, max_length=200):
    """A readable ASCII slug for a title in Vietnamese, English or Chinese.

    Chinese characters are spelled in pinyin without tones ("平阳省" -> "ping-yang-sheng").
    Returns "" when nothing usable remains (e.g. a title of only punctuation).
    """
    text = WORD_JOINERS_RE.sub(" ", nfc(text or ""))
    if CJK_RE.search(text):
        text = " ".join(lazy_pinyin(text))
    slug = slugify(to_ascii(text))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-")
