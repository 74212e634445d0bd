"""Staff-written content that lacks a language: found, listed, filled in, and refused without a word.

Each domain registers, from its ``init_app``, the kinds of content its staff write (a forum's hook and
invitation, a topic's title, a recommendation, a progress note, a newsletter's subject and articles)::

    gaps.register(ContentKind("forum", _l("Forum"), Forum, {"hook": _l("Inviting hook")}, title=...))

This package cannot import the domains (they sit above it), so the registry is how one page, the
translators' (``site/translations.py``), and one interpreters' file (``interpreters.py``) reach them
all. A field counts once it has Swedish text, the source every translation is made from; it lacks a
language when that language's value is empty. Saving a translation goes through
:func:`save_translations`: one transaction for the lot, an audit event per row, and a unit whose
Swedish text changed since the translator saw it is skipped rather than saved against the new text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from ..core import audit
from ..core.database import atomic
from ..core.errors import DomainError
from ..core.extensions import db
from . import DEFAULT_LANGUAGE, LANGUAGES
from .content import language_display_name
from .formatting import format_list


def missing_languages(*values: dict | None) -> list[str]:
    """The languages (in switcher order) that any of ``values`` with Swedish text lacks."""
    present = [value for value in values if value and value.get(DEFAULT_LANGUAGE)]
    return [code for code in LANGUAGES if any(not value.get(code) for value in present)]


class MissingTranslations(DomainError):
    """Publishing or sending would show some readers Swedish: refused until staff confirm these languages.

    ``languages`` are the codes; a confirmation names them (``accept``), so a confirmation given for
    an older list (Somali was added meanwhile, Arabic is now missing) does not count."""

    def __init__(self, languages: list[str]) -> None:
        super().__init__(_l("Not yet translated into %(languages)s. Readers of these languages will see the "
                            "Swedish text.", languages=_LanguageList(languages)))
        self.languages = languages


class _LanguageList:
    """The languages' names joined as the reader's language joins a list, when the message is shown."""

    def __init__(self, codes: list[str]) -> None:
        self.codes = codes

    def __str__(self) -> str:
        return format_list(language_display_name(code) for code in self.codes)


def require_confirmation(languages: list[str], accept: Iterable[str] | None) -> None:
    """Raise :class:`MissingTranslations` unless ``accept`` names every missing language."""
    if languages and not set(languages) <= set(accept or ()):
        raise MissingTranslations(languages)


# --- the kinds of content and what they lack ------------------------------------------------------

@dataclass(frozen=True)
class ContentKind:
    name: str  # in unit ids and the audit log: "forum"
    label: object  # a lazy string: "Forum"
    model: type
    fields: dict[str, object]  # column → its label, in the order a translator reads them
    title: Callable[[object], dict]  # a row → the translated text that names it (a forum's hook)
    rows: Callable[[], Select] | None = None  # which rows still matter (default: all)
    multiline: frozenset[str] = field(default_factory=frozenset)  # fields of paragraphs, not a line


_kinds: dict[str, ContentKind] = {}


def register(kind: ContentKind) -> None:
    _kinds[kind.name] = kind


def kinds() -> list[ContentKind]:
    return list(_kinds.values())


@dataclass(frozen=True)
class Gap:
    """One field of one row without a translation into one language."""

    kind: ContentKind
    row: object
    field: str
    source: str  # the Swedish text, to translate from
    target: str  # the language's text; empty in a gap

    @property
    def unit_id(self) -> str:
        return unit_id(self.kind.name, self.row.id, self.field)

    @property
    def label(self) -> object:
        return self.kind.fields[self.field]

    @property
    def multiline(self) -> bool:
        return self.field in self.kind.multiline


def unit_id(kind: str, row_id: int, field_name: str) -> str:
    return f"{kind}-{row_id}-{field_name}"


def _fields():  # noqa: ANN202 - (kind, row, field, value) for every field with Swedish text
    for kind in _kinds.values():
        query = kind.rows() if kind.rows else select(kind.model).order_by(kind.model.id)
        for row in db.session.scalars(query):
            for name in kind.fields:
                value = getattr(row, name) or {}
                if value.get(DEFAULT_LANGUAGE):
                    yield kind, row, name, value


def gaps(code: str) -> list[Gap]:
    """Every field of every registered row that has Swedish text and lacks ``code``, kind by kind."""
    return [Gap(kind, row, name, value[DEFAULT_LANGUAGE], "")
            for kind, row, name, value in _fields() if not value.get(code)]


def counts() -> dict[str, int]:
    """How many fields each language other than Swedish lacks (one pass over the content)."""
    totals = dict.fromkeys((code for code in LANGUAGES if code != DEFAULT_LANGUAGE), 0)
    for _kind, _row, _name, value in _fields():
        for code in totals:
            totals[code] += not value.get(code)
    return totals


def missing_in(*rows: object) -> list[str]:
    """The languages that any registered field of ``rows`` lacks (a forum; an issue and its articles)."""
    values = [getattr(row, name) for row in rows for kind in _kinds.values() if isinstance(row, kind.model)
              for name in kind.fields]
    return missing_languages(*values)


# --- filling them in --------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    """A translation someone typed or an interpreter's file brought: for one unit, made from ``source``."""

    unit_id: str
    source: str
    text: str


@dataclass
class Saved:
    saved: list[str] = field(default_factory=list)  # unit ids written
    changed: list[str] = field(default_factory=list)  # the Swedish text changed since: not written
    unknown: list[str] = field(default_factory=list)  # no such row or field (deleted since?)


@atomic()
def save_translations(code: str, entries: Iterable[Entry]) -> Saved:
    """Write each entry's text as the ``code`` value of its field, all in one transaction.

    Empty entries are left out; an entry whose source is not the field's Swedish text now is skipped
    (the Swedish was edited after the translator saw it); a value already there is replaced, since the
    translator was shown it. One audit event per row names the fields and the language (``site/translations``
    says how they read in a history)."""
    if code not in LANGUAGES or code == DEFAULT_LANGUAGE:
        raise ValueError(f"not a language to translate into: {code!r}")
    result = Saved()
    written: dict[tuple[str, int], tuple[object, list[str]]] = {}
    for entry in entries:
        text = entry.text.strip()
        if not text:
            continue
        found = _find(entry.unit_id)
        if found is None:
            result.unknown.append(entry.unit_id)
            continue
        kind, row, name = found
        value = dict(getattr(row, name) or {})
        if value.get(DEFAULT_LANGUAGE, "").strip() != entry.source.strip():
            result.changed.append(entry.unit_id)
            continue
        value[code] = text
        setattr(row, name, value)  # a new dict: changes inside one are not tracked
        written.setdefault((kind.name, row.id), (row, []))[1].append(name)
        result.saved.append(entry.unit_id)
    for (kind_name, _row_id), (row, names) in written.items():
        # Which fields, in which language: the texts themselves are on the pages (and the next export).
        audit.record("translated", row, _summary(_kinds[kind_name], row),
                     changes={"language": [None, code], "translated": [None, names]})
    return result


def _find(unit: str) -> tuple[ContentKind, object, str] | None:
    kind_name, _dash, rest = unit.partition("-")
    row_id, _dash, name = rest.partition("-")
    kind = _kinds.get(kind_name)
    if kind is None or name not in kind.fields or not row_id.isdigit():
        return None
    query = kind.rows() if kind.rows else select(kind.model)
    row = db.session.scalar(query.where(kind.model.id == int(row_id)))
    return None if row is None else (kind, row, name)


def _summary(kind: ContentKind, row: object) -> str:
    return (kind.title(row) or {}).get(DEFAULT_LANGUAGE, "")[:200]
