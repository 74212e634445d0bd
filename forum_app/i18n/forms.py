"""Form field for translated content: one input per language, Swedish required as the fallback."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import ValidationError

from . import DEFAULT_LANGUAGE, LANGUAGES


class TranslatedTextField(Field):
    """Renders as a fieldset (see the ``translated_field`` macro) with an input named
    ``<name>-<lang>`` for each language; its data is a dict of the non-empty values."""

    def __init__(self, label=None, validators=None, *, multiline: bool = False,
                 required: bool = True, max_length: int | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.multiline = multiline
        self.required = required
        self.max_length = max_length

    def process(self, formdata, data=unset_value, extra_filters=None):  # noqa: ANN001
        self.process_errors = []
        if data is unset_value:
            data = self.default() if callable(self.default) else self.default
        self.object_data = data
        self.data = dict(data or {})
        self.raw_data = None
        if formdata is not None:
            values = {code: formdata.get(self.input_name(code), "") for code in LANGUAGES}
            self.raw_data = list(values.values())
            self.data = {code: value.strip() for code, value in values.items() if value.strip()}
        # The form's filters (``formtools.FlaskForm`` puts ``clean_text`` first: no control characters
        # reach a subject line or a PDF from any language) run as WTForms runs them for other fields.
        for filter_ in self.filters:
            self.data = filter_(self.data)
        if isinstance(self.data, dict):  # a filter may have left a language empty
            self.data = {code: value for code, value in self.data.items() if value.strip()}

    def input_name(self, code: str) -> str:
        return f"{self.name}-{code}"

    def value_for(self, code: str) -> str:
        return self.data.get(code, "") if self.data else ""

    def pre_validate(self, form):  # noqa: ANN001
        if self.required and not self.value_for(DEFAULT_LANGUAGE):
            raise ValidationError(
                _l("Write the Swedish text: it is shown to readers whose language is missing.")
            )
        if self.max_length:
            for value in self.data.values():
                if len(value) > self.max_length:
                    raise ValidationError(
                        _l("Each language may have at most %(max)d characters.", max=self.max_length)
                    )

    def populate_obj(self, obj, name):  # noqa: ANN001
        setattr(obj, name, dict(self.data))
