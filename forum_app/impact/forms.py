"""The feedback questionnaire (also used by staff for paper forms) and the report text form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..i18n.forms import TranslatedTextField
from ..web.forms import FlaskForm, strip
from .models import SCORED
from .queries import QUESTION_LABELS, SCALE

NOT_USED = "0"


def _score(value):  # noqa: ANN001, ANN202
    """"5" -> 5; nothing chosen or "did not use" -> None; anything else -> -1, which the rule refuses."""
    if value in (None, "", NOT_USED):
        return None
    if isinstance(value, int):
        return value
    return int(value) if str(value).isdigit() else -1


def _scale(not_used=None):  # noqa: ANN001, ANN202
    # Best answer first: people read the words, the numbers are only an aid. A function, so the
    # words are translated for each request.
    def choices() -> list:
        scale = [(score, f"{SCALE[score]} ({score})") for score in range(5, 0, -1)]
        return scale + ([(NOT_USED, str(not_used))] if not_used else [])
    return choices


def _question(key: str, not_used=None) -> RadioField:  # noqa: ANN001
    return RadioField(QUESTION_LABELS[key], choices=_scale(not_used), coerce=_score, validate_choice=False,
                      validators=[Optional()])


class FeedbackForm(FlaskForm):
    got_to_speak = _question("got_to_speak")
    interpretation = _question("interpretation", _l("I did not use an interpreter"))
    childcare = _question("childcare", _l("I did not use the childcare"))
    represented = _question("represented")
    come_again = _question("come_again")
    daily_life = _question("daily_life")
    cooperation = _question("cooperation")
    comment = TextAreaField(_l("Anything else you want to tell us?"), validators=[Optional(), Length(max=2000)])
    # The one-time code from a slip, for whoever has no personal link (services.submit).
    code = StringField(_l("The code on your slip"), filters=[strip], validators=[Optional(), Length(max=40)],
                       render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"})

    def answers(self) -> dict:
        return {name: getattr(self, name).data for name in
                (*SCORED, "comment")}


class ReportTextForm(FlaskForm):
    text = TranslatedTextField(_l("The year in a few paragraphs"), multiline=True, max_length=5000)


class SlipsForm(FlaskForm):
    count = IntegerField(_l("How many slips"), validators=[DataRequired(_l("Write how many slips to print.")),
                                                         NumberRange(1, 300, _l("From 1 to 300 slips at a time."))])
