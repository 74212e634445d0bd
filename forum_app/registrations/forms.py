"""The public registration form: short and plain; nothing optional is required."""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..planning.forms import MultiCheckboxField, language_choices
from ..web.forms import FlaskForm, strip
from .diets import diet_choices

OTHER = "other"
MAX_CHILD_AGE = 17


def parse_ages(text: str) -> list[int]:
    """"2, 5" or "2 och 5" or "٢، ٥" -> [2, 5]; raises ValueError on anything that is not an age."""
    if not text or not text.strip():
        return []
    digits = text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789"))
    ages = [int(n) for n in re.findall(r"\d+", digits)]
    if not ages or any(age > MAX_CHILD_AGE for age in ages) or len(ages) > 12:
        raise ValueError
    return ages


def _ages(field) -> list[int]:  # noqa: ANN001
    try:
        return parse_ages(field.data)
    except ValueError:
        raise ValidationError(_l("Write each child's age in years, for example: 2, 5.")) from None


def spoken_choices():
    return [("", _l("Choose a language"))] + language_choices() + [(OTHER, _l("Another language"))]


def interpretation_choices():
    return [("", _l("No, I do not need an interpreter"))] + language_choices() + [(OTHER, _l("Another language"))]


class NeedsForm(FlaskForm):
    """What a participant needs: the part they can change later from their private link."""

    interpretation = SelectField(_l("Do you need an interpreter? Into which language?"), choices=interpretation_choices,
                                 default="")
    interpretation_other = StringField(_l("Other language for the interpreter"), filters=[strip],
                                       validators=[Length(max=80)])
    children_ages = StringField(_l("Children who need childcare: their ages"), filters=[strip],
                                validators=[Length(max=60)])
    access_needs = TextAreaField(_l("Access needs"), filters=[strip], validators=[Length(max=1000)])
    diets = MultiCheckboxField(_l("Food: tick what you need"), choices=diet_choices)
    dietary_needs = TextAreaField(_l("Other food needs or allergies"), filters=[strip],
                                  validators=[Length(max=1000)])

    def validate_children_ages(self, field):  # noqa: ANN001
        ages = _ages(field)
        limit = current_app.config["MAX_CHILDREN_PER_REGISTRATION"]  # as services.max_children, which also checks
        if len(ages) > limit:
            raise ValidationError(_l("One registration can bring at most %(num)d children to the childcare. For "
                                     "more, please contact the integration office.", num=limit))

    def validate_interpretation_other(self, field):  # noqa: ANN001
        if self.interpretation.data == OTHER and not field.data:
            raise ValidationError(_l("Write which language you need."))

    def interpretation_value(self) -> str:
        return self.interpretation_other.data if self.interpretation.data == OTHER else self.interpretation.data

    def needs_fields(self) -> dict:
        return {"interpretation_language": self.interpretation_value(),
                "children_ages": parse_ages(self.children_ages.data),
                "access_needs": self.access_needs.data, "diets": list(self.diets.data or []),
                "dietary_needs": self.dietary_needs.data}

    def fill_from(self, registration) -> None:  # noqa: ANN001
        codes = {code for code, _label in language_choices()}
        value = registration.interpretation_language
        if value and value not in codes:
            self.interpretation.data, self.interpretation_other.data = OTHER, value
        else:
            self.interpretation.data = value
        self.children_ages.data = ", ".join(str(a) for a in registration.children_ages or [])
        self.access_needs.data = registration.access_needs
        self.diets.data = list(registration.diets or [])
        self.dietary_needs.data = registration.dietary_needs


class RegistrationForm(NeedsForm):
    name = StringField(_l("Your name"), filters=[strip],
                       validators=[DataRequired(_l("Write your name.")), Length(max=200)],
                       render_kw={"autocomplete": "name"})
    email = EmailField(_l("Email (optional)"), filters=[strip], validators=[
        Optional(), Email(_l("Enter an email address like name@example.org.")), Length(max=254)],
        render_kw={"autocomplete": "email"})
    phone = TelField(_l("Phone (optional)"), filters=[strip], validators=[Length(max=50)],
                     render_kw={"autocomplete": "tel"})
    spoken_language = SelectField(_l("The language you will speak at the forum"), choices=spoken_choices, default="")
    spoken_other = StringField(_l("Other language you will speak"), filters=[strip], validators=[Length(max=80)])
    wants_coreteam = BooleanField(_l("I would like to join the core team that prepares the recommendations"))
    newsletter = BooleanField(_l("Send me the newsletter (two to four times a year)"))
    consent = BooleanField(_l("I have read how my information is used (see above)"),
                           validators=[DataRequired(_l("Tick the box to show that you have read how your "
                                                       "information is used."))])

    def validate_phone(self, field):  # noqa: ANN001
        if field.data and len(re.sub(r"\D", "", field.data)) < 6:
            raise ValidationError(_l("Write the whole phone number, for example 070 123 45 67."))

    def validate_spoken_other(self, field):  # noqa: ANN001
        if self.spoken_language.data == OTHER and not field.data:
            raise ValidationError(_l("Write which language you will speak."))

    def registration_fields(self, ui_language: str) -> dict:
        spoken = self.spoken_other.data if self.spoken_language.data == OTHER else self.spoken_language.data
        return {"name": self.name.data, "email": self.email.data or "", "phone": self.phone.data or "",
                "language": ui_language, "spoken_language": spoken or "",
                "wants_coreteam": self.wants_coreteam.data, "newsletter": self.newsletter.data,
                **self.needs_fields()}


class ResendLinkForm(FlaskForm):
    email = EmailField(_l("Your email address"), filters=[strip], validators=[
        DataRequired(_l("Enter your email address.")), Email(_l("Enter an email address like name@example.org."))])


class WalkInForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(_l("Write the name.")), Length(max=200)])
    interpretation = SelectField(_l("Interpreter"), choices=interpretation_choices)
    children_ages = StringField(_l("Ages of children in childcare"), filters=[strip], validators=[Length(max=60)])

    def validate_children_ages(self, field):  # noqa: ANN001 - at the door staff take every child
        _ages(field)


class ChildcareChoiceForm(FlaskForm):
    """The answer page's choice when the childcare was full: a sealed token says for which registration."""

    choice = HiddenField()
