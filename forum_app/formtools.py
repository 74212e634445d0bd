"""Small helpers shared by the forms of every domain."""

from __future__ import annotations


def strip(value):  # noqa: ANN001, ANN201 - a WTForms filter
    """Trim what people type: a stray space from a phone keyboard is never an error."""
    return value.strip() if isinstance(value, str) else value


from decimal import Decimal, InvalidOperation  # noqa: E402

from babel.numbers import NumberFormatError, parse_decimal  # noqa: E402
from flask_babel import get_locale  # noqa: E402
from flask_babel import lazy_gettext as _l  # noqa: E402
from wtforms import DecimalField  # noqa: E402


class LocaleDecimalField(DecimalField):
    """An amount typed the way the reader writes numbers: "1 234,50" in Swedish, "1,234.50" in English."""

    def process_formdata(self, valuelist):  # noqa: ANN001
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        raw = valuelist[0].strip().replace("\u00a0", " ").replace(" ", "")
        try:
            self.data = parse_decimal(raw, locale=get_locale())
        except NumberFormatError:
            try:
                self.data = Decimal(raw)
            except InvalidOperation:
                self.data = None
                raise ValueError(_l("Enter an amount, for example 1500 or 1500,50.")) from None

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format(self.data, "f")
