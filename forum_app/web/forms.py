"""Small helpers shared by the forms of every domain, and the base form every form derives from."""

from __future__ import annotations

import re
from datetime import datetime

import flask_wtf
from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup
from wtforms import DateTimeLocalField, StringField
from wtforms.utils import unset_value
from wtforms.widgets import DateTimeLocalInput

from ..core.timeutil import ClockChange, clock_change_at, utc_to_local

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

        def render_field(self, field, render_kw):  # noqa: ANN001, ANN201
            """Email addresses, phone numbers and links are written left to right on every page: on an
            Arabic or Persian page a typed address would otherwise be right-aligned and its "@" and "." jump."""
            if getattr(field.widget, "input_type", None) in LEFT_TO_RIGHT_INPUTS:
                render_kw = {"dir": "ltr", **render_kw}
            return super().render_field(field, render_kw)


# Input types whose text is never in the page's direction (a text field that takes "email or phone" says
# ``render_kw={"dir": "ltr"}`` itself).
LEFT_TO_RIGHT_INPUTS = frozenset({"email", "tel", "url"})


from decimal import Decimal  # noqa: E402

from babel.numbers import format_decimal  # noqa: E402
from flask_babel import lazy_gettext as _l  # noqa: E402
from wtforms import DecimalField  # noqa: E402

from ..i18n import reader_language  # noqa: E402
from ..i18n.formatting import (
    NUMBERING,
    AmountError,
    format_date,
    format_time,
    format_utc_offset,
    format_zone_city,
    parse_money,
)


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


class _CityDateTimeInput(DateTimeLocalInput):
    """The date-and-time input, and after it, only for a time that comes twice, the question which."""

    def __call__(self, field, **kwargs) -> Markup:  # noqa: ANN001, ANN003
        html = super().__call__(field, **kwargs)
        if field.repeated is None:
            return html
        legend = _("Which %(time)s do you mean?", time=format_time(field.data.time()))
        options = [
            Markup('<li><input type="radio" id="{id}" name="{name}" value="{value}"{checked}> '
                   '<label for="{id}">{label}</label></li>').format(
                id=f"{field.id}-fold-{fold}", name=field.fold_name, value=str(fold), label=label,
                checked=Markup(" checked") if field.fold_chosen == fold else "")
            for fold, label in field.fold_choices()]
        return html + Markup('<fieldset class="field-choices clock-change"><legend>{}</legend>'
                             '<ul class="choices">{}</ul></fieldset>').format(legend, Markup("").join(options))


class CityDateTimeField(DateTimeLocalField):
    """A date and time typed on the city's clock (``TIMEZONE``); every staff form's times are one.

    On the night the clocks go forward a time in the skipped hour is refused, naming it and the change
    (it was saved an hour later without a word); on the night they go back a time in the hour that
    comes twice is asked about, summer or winter time, and the answer kept in the datetime's ``fold``,
    which ``timeutil.local_to_utc`` follows (it was silently the first)."""

    widget = _CityDateTimeInput()

    def __init__(self, label=None, validators=None, **kwargs) -> None:  # noqa: ANN001, ANN003
        super().__init__(label, validators, format="%Y-%m-%dT%H:%M", **kwargs)
        self.repeated: ClockChange | None = None  # the clock change that makes the time come twice
        self.fold_chosen: int | None = None

    @property
    def fold_name(self) -> str:
        return f"{self.name}-fold"

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:  # noqa: ANN001
        super().process(formdata, data, extra_filters)
        if self.process_errors or not isinstance(self.data, datetime):
            return
        if self.data.tzinfo is not None:  # a saved moment, shown on the city's clock (its fold says which)
            self.data = utc_to_local(self.data).replace(tzinfo=None)
        change = clock_change_at(self.data)
        if change is None:
            return
        words = {"time": format_time(self.data.time()), "date": format_date(self.data.date()),
                 "zone": format_zone_city(current_app.config["TIMEZONE"]),
                 "before": format_time(change.before.time()), "after": format_time(change.after.time())}
        if change.skipped:
            self.process_errors.append(_("%(time)s on %(date)s does not exist in %(zone)s time: the clocks go "
                                         "forward from %(before)s to %(after)s.", **words))
            return
        self.repeated = change
        chosen = formdata.get(self.fold_name) if formdata is not None and self.raw_data else None
        if chosen in ("0", "1"):
            self.fold_chosen = int(chosen)
        elif self.raw_data:  # typed, and not yet said which
            self.process_errors.append(_("%(time)s on %(date)s comes twice in %(zone)s time: the clocks go back "
                                         "from %(before)s to %(after)s. Choose which one you mean.", **words))
            return
        else:  # read from a saved time, which knows which it is
            self.fold_chosen = self.data.fold
        self.data = self.data.replace(fold=self.fold_chosen)

    def fold_choices(self) -> list[tuple[int, str]]:
        time_text = format_time(self.data.time())
        return [(0, _("The first %(time)s, in summer time (UTC%(offset)s)", time=time_text,
                      offset=format_utc_offset(self.repeated.offset_before))),
                (1, _("The second %(time)s, in winter time (UTC%(offset)s)", time=time_text,
                      offset=format_utc_offset(self.repeated.offset_after)))]
