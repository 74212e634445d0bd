"""Lists sorted as the reader's language sorts them (CLDR collation through ICU).

Python's ``sorted`` orders by code point: Persian پ چ ژ ک گ (outside the Arabic block's order) land after ی,
Ukrainian і after ш, and Swedish å after ö is only right by luck. ICU's collator for the reader's language
knows each alphabet's order, and it is the same data every browser and phone uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TypeVar

import icu

from . import reader_language

T = TypeVar("T")


@lru_cache(maxsize=16)
def _collator(lang: str) -> icu.Collator:
    # ICU collators may be shared between threads once made (only comparing, never changing): one per language.
    return icu.Collator.createInstance(icu.Locale(lang))


def sort_key(lang: str | None = None) -> Callable[[str], bytes]:
    """A key for ``sorted``: the string's collation key in the reader's language."""
    return _collator(lang or reader_language()).getSortKey


def collated(items: Iterable[T], key: Callable[[T], str] = str, lang: str | None = None) -> list[T]:
    """``items`` in the reader's alphabetical order of ``key(item)``."""
    by = sort_key(lang)
    return sorted(items, key=lambda item: by(key(item)))
