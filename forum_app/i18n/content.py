"""Translated content: text that staff write, stored as one value per language.

A column of type :class:`TranslatedText` holds a dict ``{"sv": "...", "ar": "..."}``. Reading it in
the reader's language gives a :class:`LocalizedText` that knows whether it fell back to another
language, so a page can say "not yet available in Arabic, shown in Swedish" and mark the text with
its real ``lang`` for screen readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from babel import Locale
from flask import get_template_attribute
from markupsafe import Markup, escape
from sqlalchemy import JSON
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator

from . import DEFAULT_LANGUAGE, LANGUAGES, reader_language


class TranslatedText(TypeDecorator):
    """A JSON object keyed by language code; empty values are dropped on save.

    Assign a new dict to change it: in-place changes are not tracked.
    """

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect):  # noqa: ANN001
        if dialect.name == "postgresql":
            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        if value is None:
            return {}
        if isinstance(value, str):
            value = {DEFAULT_LANGUAGE: value}
        return {k: v.strip() for k, v in value.items() if k in LANGUAGES and v and v.strip()}

    def process_result_value(self, value, dialect):  # noqa: ANN001
        return dict(value or {})


@dataclass(frozen=True)
class LocalizedText:
    text: str
    lang: str  # the language the text is actually in
    requested: str  # the language the reader asked for

    @property
    def is_fallback(self) -> bool:
        return bool(self.text) and self.lang != self.requested

    @property
    def direction(self) -> str:
        return LANGUAGES[self.lang].direction

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)

    def __html__(self) -> str:
        """Inline HTML: fallback text carries its own ``lang`` and ``dir``."""
        if not self.is_fallback:
            return str(escape(self.text))
        # lang and dir are our own codes; only the text needs escaping (Markup.format is slow on lists).
        return f'<span lang="{self.lang}" dir="{self.direction}">{escape(self.text)}</span>'


def fallback_note_text(text: LocalizedText) -> str:
    """The note a page puts under ``text`` when it is shown in another language, as plain text for an email
    or a drafted newsletter ("" when it is not). The sentence lives once, in ``macros/content.html``."""
    if not text.is_fallback:
        return ""
    return Markup(get_template_attribute("macros/content.html", "fallback_note_text")(text)).striptags()


def localize(value: dict | None, lang: str | None = None) -> LocalizedText:
    """The value in ``lang`` (default: the reader's), else Swedish, else any language it has."""
    lang = lang or reader_language()
    value = value or {}
    for candidate in (lang, DEFAULT_LANGUAGE, *LANGUAGES):
        text = value.get(candidate)
        if text:
            return LocalizedText(text, candidate, lang)
    return LocalizedText("", lang, lang)


# Where Babel's (CLDR's) name for an interpretation language is wrong or English in a reader's language.
# Reviewed by the team; a native speaker should confirm them (docs/translations.md lists this table).
LANGUAGE_NAME_OVERRIDES: dict[str, dict[str, str]] = {
    "so": {
        "bn": "Bangaali",  # CLDR: "Bangladesh", the country
        "my": "Burmiis",  # CLDR: English "Burmese"
        "tr": "Turki",  # CLDR: English "Turkish"
        "ti": "Tigriinya",  # CLDR: the English spelling
        "ckb": "Kurdi Soraani",  # CLDR: "Bartamaha Kurdish", half English
        "ku": "Kurdi",  # CLDR: English "Kurdishka"
        "ug": "Uygur",
        "fa_AF": "Dari",  # CLDR: "Faarsi", beside Persian "Faarisi" in the same list
    },
    "fa": {
        "hr": "کرواتی",  # CLDR: "کروات", the people, not the language
    },
    "ti": {
        "de": "ጀርመንኛ",  # CLDR: "ጀርመን", the country
        "it": "ጥልያንኛ",  # CLDR: "ጥልያን", the country
        "ku": "ኩርድኛ",
        "ckb": "ኩርድኛ ሶራኒ",
        "pl": "ፖሎንኛ",
    },
}


def language_display_name(code: str, in_language: str | None = None) -> str:
    """A language's name in the reader's language, e.g. ``ar`` → "arabiska" for a Swedish reader.

    Works for any ISO 639 code Babel knows, not only the seven interface languages; a few names come
    from :data:`LANGUAGE_NAME_OVERRIDES` instead.
    """
    return _display_name(code, in_language or reader_language())


@lru_cache(maxsize=4096)
def _display_name(code: str, reader: str) -> str:
    # Every registration form lists some forty languages by name: parsing the reader's locale for each
    # cost a registration more than a millisecond.
    override = LANGUAGE_NAME_OVERRIDES.get(reader, {}).get(code)
    if override:
        return override
    try:
        name = Locale.parse(reader).languages.get(code)
    except (ValueError, LookupError):
        name = None
    return name or code
