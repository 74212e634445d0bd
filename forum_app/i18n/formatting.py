"""One formatter for dates, times, numbers, money, periods and lists in the reader's language.

Every page, email, calendar text and flash message formats through these functions (and the Jinja filters
of the same names), so each language has one reviewed style:

- **Dates**: day, month name, year, in the order the language writes them (no US order), with the
  script's own comma in the full form (Arabic "،", Tigrinya "፣"). No date ends in a full stop, so a
  sentence that ends with a date never gets two (Ukrainian "2026 р." is written "2026").
- **Times**: the 24-hour clock in every language, as the city writes it ("18:00").
- **Digits**: Latin digits 0–9 in every language, also Arabic and Persian (see ``NUMBERING``):
  addresses, phone numbers, bus lines and the city's letters use them, and a reader must never see two
  digit systems in one card. Change a language here, not in a template.
- **Lists**: Babel's ``format_list`` ("a, b och c", "a وb وc", "a፣ bን cን"); never ``", ".join``. A list with
  names in Latin letters is written with the script's comma in Tigrinya and Arabic (``GLUED_PARTICLE``).
- **Money**: Babel's ``format_currency`` and a strict ``parse_decimal``: "1500,50" on an English page is
  refused with a message instead of being read as 150 050.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import lru_cache

from babel import dates as babel_dates
from babel import lists as babel_lists
from babel import numbers as babel_numbers
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from ..core.timeutil import utc_to_local
from . import LANGUAGES, reader_language

# Reviewed per language: see docs/translations.md ("Dates, times and numbers").
DATE_PATTERNS: dict[str, dict[str, str]] = {
    "sv": {"short": "y-MM-dd", "medium": "d MMM y", "long": "d MMMM y", "full": "EEEE d MMMM y"},
    "en": {"short": "d/M/y", "medium": "d MMM y", "long": "d MMMM y", "full": "EEEE d MMMM y"},
    "ar": {"short": "d/M/y", "medium": "d MMM y", "long": "d MMMM y", "full": "EEEE، d MMMM y"},
    "fa": {"short": "y/M/d", "medium": "d MMM y", "long": "d MMMM y", "full": "EEEE d MMMM y"},
    "so": {"short": "d/M/y", "medium": "d MMM y", "long": "d MMMM y", "full": "EEEE, d MMMM y"},
    "ti": {"short": "d/M/y", "medium": "d MMM y", "long": "d MMMM y", "full": "EEEE፣ d MMMM y"},
    "uk": {"short": "dd.MM.y", "medium": "d MMM y", "long": "d MMMM y", "full": "EEEE, d MMMM y"},
}
TIME_PATTERN = "HH:mm"
# The digits each language is written with; "latn" everywhere (see the module docstring).
NUMBERING: dict[str, str] = {code: "latn" for code in LANGUAGES}
CURRENCY = "SEK"
INTERVAL_LOCALE = {"en": "en_GB"}

# Ukrainian intervals end in "рр." (years); dates in running text do without it.
_TRAILING_ABBREVIATION = {"uk": re.compile(r"\s*рр?\.$")}
_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹٫٬", "01234567890123456789.,")


def _lang(lang: str | None) -> str:
    lang = lang or reader_language()
    return lang if lang in LANGUAGES else "sv"


def _local(moment: date | datetime) -> date | datetime:
    """Aware or naive-UTC datetimes are shown in the city's time; dates stay as they are."""
    if isinstance(moment, datetime):

        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return utc_to_local(moment)
    return moment


def _finish(text: str, lang: str) -> str:
    pattern = _TRAILING_ABBREVIATION.get(lang)
    return pattern.sub("", text) if pattern else text


def format_date(moment: date | datetime | None, style: str = "long", lang: str | None = None) -> str:
    if moment is None:
        return ""
    lang = _lang(lang)
    pattern = DATE_PATTERNS[lang].get(style, style)
    local = _local(moment)
    day = local.date() if isinstance(local, datetime) else local
    return _finish(babel_dates.format_date(day, pattern, locale=lang), lang)


def format_time(moment: datetime | time | None, style: str = "short", lang: str | None = None) -> str:
    """Always the 24-hour clock; ``style`` is accepted for the templates' old calls and ignored."""
    if moment is None:
        return ""
    local = _local(moment) if isinstance(moment, datetime) else moment
    return babel_dates.format_time(local, TIME_PATTERN, locale=_lang(lang))


def format_datetime(moment: datetime | None, style: str = "long", lang: str | None = None) -> str:
    """A moment as "8 december 2026, 18:00": the date, the language's comma, the time."""
    if moment is None:
        return ""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    lang = _lang(lang)
    with force_locale(lang):
        return _("%(date)s, %(time)s", date=format_date(moment, style, lang), time=format_time(moment, lang=lang))


def format_period(start: date | datetime, end: date | datetime, lang: str | None = None) -> str:
    """A period such as a newsletter's: "24 november 2026 – 22 februari 2027", as each language writes it."""
    lang = _lang(lang)
    start, end = _local(start), _local(end)
    start = start.date() if isinstance(start, datetime) else start
    end = end.date() if isinstance(end, datetime) else end
    return _period(start, end, lang)


@lru_cache(maxsize=4096)
def _period(start: date, end: date, lang: str) -> str:
    # Babel's intervals cost a millisecond and a half each and depend on these arguments alone: a staff
    # list of ten years of newsletter issues formats the same periods on every view.
    # CLDR's English intervals are American ("Nov 24 – Feb 22"); the British ones keep our day-month order.
    locale = INTERVAL_LOCALE.get(lang, lang)
    return _finish(babel_dates.format_interval(start, end, "yMMMMd", locale=locale), lang)


def format_number(value: float | Decimal | None, lang: str | None = None) -> str:
    if value is None:
        return ""
    lang = _lang(lang)
    return babel_numbers.format_decimal(value, locale=lang, numbering_system=NUMBERING[lang])


def format_money(amount: float | Decimal | None, lang: str | None = None) -> str:
    """An amount in kronor, e.g. "1 500,50 kr" in Swedish, "SEK 1,500.50" in English."""
    if amount is None:
        return ""
    lang = _lang(lang)
    pattern = babel_numbers.Locale.parse(lang).currency_formats["standard"].pattern
    # CLDR writes "¤#,##0.00": with a code rather than a sign, "SEK1,500.50" needs its space.
    pattern = re.sub(r"¤(?=[#0])", "¤\u00a0", pattern)
    pattern = re.sub(r"(?<=[#0])¤", "\u00a0¤", pattern)
    return babel_numbers.format_currency(amount, CURRENCY, format=pattern, locale=lang,
                                         numbering_system=NUMBERING[lang])


class AmountError(ValueError):
    """Typed text that is not an amount in this language, or could be read two ways."""


def parse_money(text: str, lang: str | None = None) -> Decimal:
    """An amount typed the way the page's language writes numbers, refusing anything ambiguous.

    Spaces (a Swedish or Ukrainian thousands separator) are ignored; Eastern Arabic digits are read.
    "1500,50" on an English page, or "1,500.50" on a Swedish one, raise :class:`AmountError`.
    """
    lang = _lang(lang)
    raw = (text or "").strip().translate(_EASTERN_DIGITS)
    raw = re.sub(r"[\s\u00a0\u202f]", "", raw)
    raw = re.sub(r"(?i)(kr|sek|:-)$", "", raw).strip()
    if not raw:
        raise AmountError(text)
    try:
        value = babel_numbers.parse_decimal(raw, locale=lang, strict=True,
                                            numbering_system=NUMBERING[lang])
    except babel_numbers.NumberFormatError as error:
        raise AmountError(text) from error
    decimal_sign = babel_numbers.get_decimal_symbol(lang, numbering_system=NUMBERING[lang])
    if decimal_sign not in raw and len(re.findall(r"[.,]", raw)) == 1 and re.search(r"[.,]\d{3}$", raw):
        # "1.500" or "1,500" with the other sign: thousands to one reader, a decimal to another.
        other = "." if decimal_sign == "," else ","
        if other in raw and babel_numbers.get_group_symbol(lang, numbering_system=NUMBERING[lang]) != other:
            raise AmountError(text)
    return value


def format_zone_city(zone: str, lang: str | None = None) -> str:
    """The city a time zone is named after, as the language writes it: "Stockholm", "ستوكهولم"."""
    return babel_dates.get_timezone_location(zone, locale=_lang(lang), return_city=True)


def format_utc_offset(offset: timedelta) -> str:
    """An offset from UTC as people read it after "UTC": "+2", "+1", "-3:30"."""
    minutes = int(offset.total_seconds()) // 60
    hours, rest = divmod(abs(minutes), 60)
    return f"{'-' if minutes < 0 else '+'}{hours}" + (f":{rest:02d}" if rest else "")


# Where CLDR's "and" is a particle written onto the word (Tigrinya "aን bን", Arabic "a وb"), it cannot go onto a
# name in Latin letters ("Seniorträffenን", "وSeniorträffen"): such a list is written with the script's own comma
# instead, each item whole. The edge is where the particle goes: the end of each item in Tigrinya, the start in Arabic.
GLUED_PARTICLE = {"ti": "end", "ar": "start"}
# The comma each script writes between items (CLDR's Arabic list has "و" between every pair, never a comma).
LIST_COMMA = {"ar": "، ", "fa": "، ", "ti": "፣ "}
LATIN_LETTER = re.compile(r"[A-Za-z\u00C0-\u024F]")


def format_list(items: Iterable, lang: str | None = None, style: str = "standard") -> str:
    """Items joined as the language joins them ("a, b och c"); empty items are left out."""
    values = [str(item) for item in items if item is not None and str(item) != ""]
    return _join(values, values, _lang(lang), style)


def format_separated(items: Iterable, lang: str | None = None) -> str:
    """Items with the script's comma and no "and" ("2، 5"): for a value a person edits, such as children's ages."""
    return LIST_COMMA.get(_lang(lang), ", ").join(str(item) for item in items if item is not None and str(item) != "")


@pass_eval_context
def format_list_html(context: EvalContext, items: Iterable, lang: str | None = None,
                     style: str = "standard") -> Markup | str:
    """The ``|format_list`` filter: on a page an item in another language keeps its ``lang``/``dir`` span
    (``|tr``); in a plain-text email the items stay as they are."""
    kept = [item for item in items if item is not None and str(item) != ""]
    if not context.autoescape:
        return format_list(kept, lang, style)
    return Markup(_join([str(item) for item in kept], [str(escape(item)) for item in kept], _lang(lang), style))


def _join(texts: list[str], shown: list[str], code: str, style: str) -> str:
    """Joins ``shown`` the way ``texts`` (the same items as plain text) call for."""
    if not texts:
        return ""
    edge = GLUED_PARTICLE.get(code)
    if edge and len(texts) > 1:
        edges = [text[-1] for text in texts] if edge == "end" else [text[0] for text in texts[1:]]
        if any(LATIN_LETTER.match(letter) for letter in edges):
            return LIST_COMMA[code].join(shown)
    if code == "fa" and style == "standard" and len(texts) > 2:
        # CLDR puts a comma before the last "و"; Persian writing does not (reviewed, docs/translations.md).
        return "، ".join(shown[:-1]) + " و " + shown[-1]
    return babel_lists.format_list(shown, style=style, locale=code)


def signed(value: object) -> Markup:
    """A signed number or other neutral run ("+2", "−3,5 %", "UTC+1") isolated left to right: on an Arabic or
    Persian page the sign would otherwise be laid out after the digits ("2+")."""
    return Markup('<bdi dir="ltr">{}</bdi>').format(value)


def init_app(app) -> None:  # noqa: ANN001
    app.jinja_env.filters.update(
        dateformat=format_date, timeformat=format_time, datetimeformat=format_datetime,
        date_and_time=format_datetime, period=format_period, number=format_number,
        decimalformat=format_number, money=format_money, format_list=format_list_html, signed=signed,
    )
