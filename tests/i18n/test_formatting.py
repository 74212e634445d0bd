"""Dates, times, numbers, money, periods, lists and plural forms in all seven languages (issue 19)."""

from __future__ import annotations

import gettext
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po

from forum_app.i18n import LANGUAGES
from forum_app.i18n import formatting as fmt

ROOT = Path(__file__).resolve().parents[2] / "translations"
EASTERN_DIGITS = re.compile("[\u0660-\u0669\u06f0-\u06f9]")

# The plural form each catalogue must choose for 0, 1, 2, 3, 11 and 100.
PLURAL_FORM = {
    "ar": {0: 0, 1: 1, 2: 2, 3: 3, 11: 4, 100: 5},  # zero, one, two, few, many, other (CLDR)
    "uk": {0: 2, 1: 0, 2: 1, 3: 1, 11: 2, 100: 2},  # one, few, many (CLDR)
    "sv": {0: 1, 1: 0, 2: 1, 3: 1, 11: 1, 100: 1},
    "en": {0: 1, 1: 0, 2: 1, 3: 1, 11: 1, 100: 1},
    "so": {0: 1, 1: 0, 2: 1, 3: 1, 11: 1, 100: 1},
    # CLDR counts 0 as "one" in Tigrinya; the catalogue says "0 ሰባት" (docs/translations.md: to confirm).
    "ti": {0: 1, 1: 0, 2: 1, 3: 1, 11: 1, 100: 1},
    "fa": {0: 0, 1: 0, 2: 0, 3: 0, 11: 0, 100: 0},  # a noun after a number stays singular
}
CLDR_ORDER = {"ar": ["zero", "one", "two", "few", "many", "other"], "uk": ["one", "few", "many"],
              "sv": ["one", "other"], "en": ["one", "other"], "so": ["one", "other"]}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """An app without a database, one for the module: formatting needs only the catalogues and the settings,
    and no test here changes them."""
    from forum_app import create_app

    tmp_path = tmp_path_factory.mktemp("formatting")
    return create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
                       "SECRET_KEY": "test", "INSTANCE_PATH": str(tmp_path), "BASE_URL": "http://localhost"})


def _catalog(code: str):
    with (ROOT / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=code)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_the_plural_header_chooses_the_right_form_for_each_count(code):
    catalog = _catalog(code)
    expression = catalog.plural_expr
    choose = gettext.c2py(expression)
    assert {n: choose(n) for n in PLURAL_FORM[code]} == PLURAL_FORM[code], expression
    assert catalog.num_plurals == max(PLURAL_FORM[code].values()) + 1
    if code in CLDR_ORDER:  # where gettext's forms are CLDR's categories, they must agree with CLDR
        rule = Locale.parse(code).plural_form
        assert {n: CLDR_ORDER[code].index(rule(n)) for n in PLURAL_FORM[code]} == PLURAL_FORM[code]


def test_arabic_plural_entries_read_right_for_12_and_100(app):
    """Form 4 (11–99) takes the accusative singular "مكانًا", form 5 (100, 1000) the genitive "مكان"."""
    from flask_babel import force_locale, ngettext

    with app.test_request_context("/ar/"), force_locale("ar"):
        assert ngettext("%(num)d place left", "%(num)d places left", 12) == "تبقّى 12 مكانًا"
        assert ngettext("%(num)d place left", "%(num)d places left", 100) == "تبقّى 100 مكان"
        assert ngettext("%(num)d place left", "%(num)d places left", 5) == "تبقّت 5 أماكن"
    for message in _catalog("ar"):
        if message.pluralizable and message.id:
            many, other = message.string[4], message.string[5]
            assert many and other, message.id
            noun = re.compile(r"%\(num\)d (\S+)")  # the counted word, right after the number
            if many != other and noun.search(many) and noun.search(other):
                # 11–99 take the accusative ("شخصًا"), 100 and up the genitive ("شخص"): never the other way.
                assert "ً" not in noun.search(other).group(1), (message.id, other)
                assert noun.search(many).group(1) != noun.search(other).group(1) or many == other, message.id


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_catalogues_write_digits_as_the_number_formatting_does(code):
    """Persian once wrote "۶۰" beside a formatted "108": one digit system per language."""
    assert fmt.NUMBERING[code] == "latn"
    for message in _catalog(code):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            assert not EASTERN_DIGITS.search(string or ""), (message.id, string)
    assert fmt.format_number(1080, code).replace("\u00a0", " ").replace("\u202f", " ").replace(",", "").replace(
        " ", "").replace("٬", "") == "1080"


MOMENT = datetime(2026, 12, 8, 17, 0, tzinfo=UTC)  # 18:00 in Stockholm


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_one_date_and_time_style_per_language(app, code):
    with app.app_context():
        long = fmt.format_date(MOMENT, "long", code)
        full = fmt.format_date(MOMENT, "full", code)
        time = fmt.format_time(MOMENT, lang=code)
        period = fmt.format_period(date(2026, 11, 24), date(2027, 2, 22), code)
    assert time == "18:00"  # the 24-hour clock everywhere, in the city's time
    assert re.match(r"^8 \S+ 2026$", long), long  # day, month, year: never US order
    assert full.endswith(long), full  # the full date is the long one with its weekday
    assert not long.endswith(".") and not period.endswith("."), (long, period)
    assert "2026" in period and "2027" in period and "11/24" not in period
    if code == "ar":
        assert "،" in full and "," not in full
    if code == "ti":
        assert "፣" in full and "," not in full


def test_ukrainian_date_in_a_sentence_ends_with_one_full_stop(app):
    from flask_babel import force_locale
    from flask_babel import gettext as _

    with app.test_request_context("/uk/"), force_locale("uk"):
        sentence = _("The term is renewed until %(date)s.", date=fmt.format_date(date(2026, 12, 8), "long"))
    assert sentence.endswith("2026.") and ".." not in sentence


@pytest.mark.parametrize("code,expected", [
    ("sv", "arabiska, tigrinja och somaliska"),
    ("en", "Arabic, Tigrinya, and Somali"),
    ("ar", "و"),
    ("fa", "،"),
    ("ti", "፣"),
    ("uk", " і "),
    ("so", " iyo "),
])
def test_lists_are_joined_as_each_language_joins_them(app, code, expected):
    from forum_app.i18n.content import language_display_name

    with app.test_request_context(f"/{code}/"):
        names = [language_display_name(c, code) for c in ("ar", "ti", "so")]
        joined = fmt.format_list(names, code)
    assert expected in joined
    if code in ("ar", "fa"):
        assert ", " not in joined


@pytest.mark.parametrize("code,typed,amount", [
    ("sv", "1500,50", Decimal("1500.50")),
    ("sv", "1 500,50", Decimal("1500.50")),
    ("sv", "1500 kr", Decimal(1500)),
    ("en", "1,500.50", Decimal("1500.50")),
    ("en", "1500.50", Decimal("1500.50")),
    ("uk", "1 500,50", Decimal("1500.50")),
    ("ar", "١٥٠٠٫٥", Decimal("1500.5")),
])
def test_amounts_are_read_in_the_page_language(code, typed, amount):
    assert fmt.parse_money(typed, code) == amount


@pytest.mark.parametrize("code,typed", [
    ("en", "1500,50"),  # was read as 150 050
    ("en", "1,50"),
    ("sv", "1,500.50"),
    ("sv", "1.500"),  # thousands or one and a half? Ask.
    ("sv", "femhundra"),
    ("sv", ""),
])
def test_ambiguous_or_wrong_amounts_are_refused(code, typed):
    with pytest.raises(fmt.AmountError):
        fmt.parse_money(typed, code)


def test_money_is_shown_in_the_page_language():
    assert fmt.format_money(Decimal("1500.5"), "sv").replace("\u00a0", " ") == "1 500,50 kr"
    assert fmt.format_money(Decimal("1500.5"), "en").replace("\u00a0", " ") == "SEK 1,500.50"
    assert "1 500,50" in fmt.format_money(Decimal("1500.5"), "uk").replace("\u00a0", " ")
