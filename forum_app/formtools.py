"""Small helpers shared by the forms of every domain, and the base form every form derives from."""

from __future__ import annotations

import re

import flask_wtf
from wtforms import StringField

# C0 and C1 control characters except tab, line feed and carriage return: a NUL or an escape code
# is never something a person meant to type, and some break CSV, email headers or PostgreSQL.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value):  # noqa: ANN001, ANN201 - any field's data
    """Remove control characters from typed text (also inside per-language text)."""
    if isinstance(value, str):
        return CONTROL.sub("", value)
    if isinstance(value, dict):
        return {key: clean_text(text) for key, text in value.items()}
    if isinstance(value, list):
        return [clean_text(item) for item in value]
    return value


def strip(value):  # noqa: ANN001, ANN201 - a WTForms filter
    """Trim what people type: a stray space from a phone keyboard is never an error."""
    return value.strip() if isinstance(value, str) else value


def text_or_empty(value):  # noqa: ANN001, ANN201 - a WTForms filter
    """A text field that was left out of the request is empty text, never None (columns are NOT NULL)."""
    return "" if value is None else value


class FlaskForm(flask_wtf.FlaskForm):
    """Flask-WTF's form, cleaning every field's text of control characters before it is validated,
    and reading a text field missing from the request as empty text."""

    class Meta:
        def bind_field(self, form, unbound_field, options):  # noqa: ANN001, ANN201
            first = (text_or_empty, clean_text) if issubclass(unbound_field.field_class, StringField) else (clean_text,)
            filters = (*first, *(unbound_field.kwargs.get("filters") or ()))
            return unbound_field.bind(form=form, **{**options, "filters": filters})


from decimal import Decimal  # noqa: E402

from babel.numbers import format_decimal  # noqa: E402
from flask_babel import lazy_gettext as _l  # noqa: E402
from wtforms import DecimalField  # noqa: E402

from .i18n import reader_language  # noqa: E402
from .i18n.formatting import NUMBERING, AmountError, parse_money  # noqa: E402


class LocaleDecimalField(DecimalField):
    """An amount typed the way the page's language writes numbers: "1 234,50" in Swedish, "1,234.50"
    in English. Input that another language would read differently ("1500,50" on an English page) is
    refused with an example, never guessed (``i18n.formatting.parse_money``)."""

    def process_formdata(self, valuelist):  # noqa: ANN001
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_money(valuelist[0], reader_language())
        except AmountError:
            self.data = None
            lang = reader_language()
            example = format_decimal(Decimal("1500.50"), format="#,##0.00", locale=lang,
                                     numbering_system=NUMBERING[lang])
            raise ValueError(_l("Enter the amount as it is written in this language, for example %(example)s.",
                                example=example)) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        lang = reader_language()
        return format_decimal(self.data, format="0.##", locale=lang, numbering_system=NUMBERING[lang])
