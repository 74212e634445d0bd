"""History people can read: the one way every history, on staff pages and public ones, is shown.

An audit event stores the fields that changed by their column names, with JSON values (UTC times as
ISO text, ids, enum values, the seven-language texts). Nobody should read those. Each domain describes
its audited fields once (:func:`describe`): a label in the reader's language and how a value is shown
(the way its own pages show it: a time in the city's time zone, a name instead of an id, a status by its
words). :func:`entries` turns events into :class:`Entry` rows, oldest first and without repeats, and the
macro ``macros/history.html`` renders them, so the staff pages, the audit log and the public timeline
read alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ..core.audit import MASK
from ..i18n.content import language_display_name, localize
from ..i18n.formatting import format_date, format_datetime, format_list, format_number, format_period
from ..i18n.labels import label

SHORT_TEXT = 160  # a long text in a history is cut here: the page itself shows it whole


def plain(value: Any) -> str:
    return str(value)


def moment(value: Any) -> str:
    """A UTC moment stored as ISO text, shown in the city's time as the pages show it."""
    return format_datetime(datetime.fromisoformat(value) if isinstance(value, str) else value)


def day(value: Any) -> str:
    return format_date(date.fromisoformat(value[:10]) if isinstance(value, str) else value)


def text(value: Any) -> str:
    """A text in seven languages, in the reader's (or the fallback), cut short."""
    shown = localize(value).text if isinstance(value, dict) else str(value)
    return shown if len(shown) <= SHORT_TEXT else shown[:SHORT_TEXT].rstrip() + "…"


def listed(value: Any) -> str:
    """A list of plain texts (names, headings) as a list in the reader's language."""
    return format_list(str(item) for item in (value if isinstance(value, list) else [value]))


def yes_no(value: Any) -> str:
    return _("Yes") if value else _("No")


def number(value: Any) -> str:
    return format_number(Decimal(str(value)))


def languages(value: Any) -> str:
    """A language code, or a list of them, by the languages' names in the reader's language."""
    return format_list(language_display_name(code) for code in ([value] if isinstance(value, str) else value))


def period(value: Any) -> str:
    """Two ISO dates joined by a dash, as a period in the reader's language."""
    start, _dash, end = str(value).partition("–")
    return format_period(date.fromisoformat(start), date.fromisoformat(end)) if end else day(start)


def enum_of(enum_class: type) -> Callable[[Any], str]:
    """A stored enum value by its words (``i18n.labels``)."""
    return lambda value: label(enum_class(value))


def words_of(choices: Callable[[], Iterable]) -> Callable[[Any], str]:
    """A value (or a list of them) by its words in a form's ``choices``: the page's own words for it."""

    def show(value: Any) -> str:
        words = {str(key): str(word) for key, word in choices()}
        return format_list(words.get(str(v), str(v)) for v in (value if isinstance(value, list) else [value]))

    return show


def names(lookup: Callable[[list[int]], dict[int, str]]) -> Callable[[Any], str]:
    """Ids (one or a list) by the names ``lookup`` gives for them; one that is gone reads "deleted"."""

    def show(value: Any) -> str:
        ids = value if isinstance(value, list) else [value]
        found = lookup([i for i in ids if isinstance(i, int)])
        return format_list(found.get(i) or _("Deleted") for i in ids)

    return show


@dataclass(frozen=True)
class Field:
    label: Any  # a lazy string
    show: Callable[[Any], str] = plain


_FIELDS: dict[str, dict[str, Field]] = {}


def describe(object_type: str, fields: dict[str, Field]) -> None:
    """Register how the audited fields of ``object_type`` (the model's class name) read."""
    _FIELDS.setdefault(object_type, {}).update(fields)


def described(object_type: str, name: str) -> bool:
    return name in _FIELDS.get(object_type, {})


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Entry:
    """One line of a history: when, what happened, by whom, a note, and the fields that changed."""

    at: date | datetime
    what: str
    who: str = ""
    note: str = ""
    changes: list[Change] = field(default_factory=list)

    @property
    def when(self) -> str:
        return format_datetime(self.at) if isinstance(self.at, datetime) else format_date(self.at)


OTHER_DETAILS = _l("Other details")


def _value(spec: Field, value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if value == MASK:
        return MASK  # a personal value: the log says that it changed, never what it is
    return spec.show(value)


def changes_of(object_type: str, recorded: dict | None) -> list[Change]:
    """The changed fields in words, in the order they were recorded. A field nobody described is
    shown as "Other details" with no value rather than by its column name."""
    rows, other = [], False
    for name, pair in (recorded or {}).items():
        spec = _FIELDS.get(object_type, {}).get(name)
        if spec is None:
            other = True
            continue
        before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
        rows.append(Change(str(spec.label), _value(spec, before), _value(spec, after)))
    if other:
        rows.append(Change(str(OTHER_DETAILS), "", ""))
    return rows


def who(user: Any) -> str:
    return (user.name or user.email) if user is not None else ""


def entries(events: Iterable) -> list[Entry]:
    """Audit events as history entries, oldest first; an event that repeats the one before it (the same
    action by the same person with the same changes, as a double submit makes) is shown once."""
    rows: list[Entry] = []
    seen_last = None
    for event in sorted(events, key=lambda e: (e.at, e.id)):
        key = (event.action, event.user_id, event.object_type, event.object_id, repr(event.changes))
        if key == seen_last:
            continue
        seen_last = key
        rows.append(Entry(at=event.at, what=event.label, who=who(event.user),
                          changes=changes_of(event.object_type, event.changes)))
    return rows
