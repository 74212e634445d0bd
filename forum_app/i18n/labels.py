"""The one way to name an enum's value in the reader's language.

Each domain registers the words for its enums once (``name_values``); pages, emails, CSV files and
the API's human-readable fields then call :func:`label` (``{{ value|label }}`` in templates), which
translates at the moment of reading, so the same value reads right in every language.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping

_WORDS: dict[type, Mapping] = {}


def name_values(enum_class: type[enum.Enum], words: Mapping) -> Mapping:
    """Register the words (lazy strings, or functions returning text) for every value of ``enum_class``."""
    missing = [value for value in enum_class if value not in words]
    if missing:
        raise ValueError(f"{enum_class.__name__} has no words for {missing}")
    _WORDS[enum_class] = words
    return words


def label(value: enum.Enum) -> str:
    words = _WORDS[type(value)][value]
    return words() if callable(words) else str(words)  # a lazy string is not callable


def choices(enum_class: type[enum.Enum]) -> list[tuple[str, str]]:
    """``(value, words)`` pairs for a select field, in the enum's order."""
    return [(member.value, label(member)) for member in enum_class]
