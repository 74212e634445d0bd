"""The public registration form: short and plain; nothing optional is required."""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from wtforms import BooleanField, EmailField, HiddenField, RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from ..i18n.collation import collated
from ..i18n.formatting import format_separated
from ..mail import sms
from ..planning.forms import MultiCheckboxField, language_choices
from ..web.forms import FlaskForm, strip
from .diets import diet_choices
from .models import MessagesBy

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
    return [("", _l("Choose a language"))] + language_choices()


def interpretation_choices():
    return [("", _l("No, I do not need an interpreter"))] + language_choices()


def forum_languages_first(first_option: tuple, codes: list[str]) -> dict | list:
    """A language list with the forum's own languages (``codes``) in a group of their own at the top, then
    every language: a resident finds theirs among two or three instead of fifty (issue 28). The empty
    first option ("no interpreter", "choose") opens the first group."""
    named = dict(language_choices())
    ours = collated(((code, named[code]) for code in set(codes) if code in named), key=lambda pair: pair[1])
    if not ours:
        return [first_option] + language_choices()
    return {str(_l("Languages at this forum")): [first_option] + ours,
            str(_l("All languages")): [pair for pair in language_choices() if pair[0] not in dict(ours)]}


class NeedsForm(FlaskForm):
    """What a participant needs: the part they can change later from their private link.

    A language not in the list goes into its own box, which the page keeps folded (``<details>``) until a
    person opens it: without JavaScript a box cannot appear when "another language" is chosen, and a box
    nobody needs should not be read by everyone."""

    interpretation = SelectField(_l("Do you need an interpreter? Into which language?"), choices=interpretation_choices,
                                 default="")
    interpretation_other = StringField(_l("The language you need, if it is not in the list"), filters=[strip],
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
            raise ValidationError(lazy_ngettext(
                "One registration can bring at most %(num)d child to the childcare. For more, please contact the "
                "integration office.", "One registration can bring at most %(num)d children to the childcare. For "
                "more, please contact the integration office.", limit))

    def group_languages(self, forum) -> None:  # noqa: ANN001 - planning.models.Forum
        """The forum's interpretation languages first in the list (the values, and what is chosen, stay)."""
        self.interpretation.choices = forum_languages_first(
            ("", _l("No, I do not need an interpreter")), forum.interpretation_languages or [])

    def interpretation_value(self) -> str:
        return self.interpretation_other.data or self.interpretation.data

    def needs_fields(self) -> dict:
        return {"interpretation_language": self.interpretation_value(),
                "children_ages": parse_ages(self.children_ages.data),
                "access_needs": self.access_needs.data, "diets": list(self.diets.data or []),
                "dietary_needs": self.dietary_needs.data}

    def fill_from(self, registration) -> None:  # noqa: ANN001
        codes = {code for code, _label in language_choices()}
        value = registration.interpretation_language
        if value and value not in codes:
            self.interpretation.data, self.interpretation_other.data = "", value
        else:
            self.interpretation.data = value
        self.children_ages.data = format_separated(registration.children_ages or [])
        self.access_needs.data = registration.access_needs
        self.diets.data = list(registration.diets or [])
        self.dietary_needs.data = registration.dietary_needs


CONTACT_NEEDED = _l("Write an email address or a phone number, so that we can reach you if something changes.")


class RegistrationForm(NeedsForm):
    name = StringField(_l("Your name"), filters=[strip],
                       validators=[DataRequired(_l("Write your name.")), Length(max=200)],
                       render_kw={"autocomplete": "name"})
    # Only for a name written in another script: the door finds the person by either spelling.
    name_latin = StringField(_l("Your name in Latin letters (A to Z)"), filters=[strip],
                             validators=[Length(max=200)])
    email = EmailField(_l("Email address"), filters=[strip], validators=[
        Optional(), Email(_l("Enter an email address like name@example.org.")), Length(max=254)],
        render_kw={"autocomplete": "email"})
    phone = TelField(_l("Phone number"), filters=[strip], validators=[Length(max=50)],
                     render_kw={"autocomplete": "tel"})
    # Asked of everyone (a page without JavaScript cannot show it only to those who fill in both); with one
    # of the two, messages go there whatever is chosen (``queries.contacts``).
    messages_by = RadioField(_l("If you write both: where should we send messages?"), default=MessagesBy.EMAIL.value,
                             choices=[(MessagesBy.EMAIL.value, _l("By email")), (MessagesBy.SMS.value, _l("By SMS")),
                                      (MessagesBy.BOTH.value, _l("By email and SMS"))])
    spoken_language = SelectField(_l("The language you will speak at the forum"), choices=spoken_choices, default="")
    spoken_other = StringField(_l("The language you will speak, if it is not in the list"), filters=[strip],
                               validators=[Length(max=80)])
    wants_coreteam = BooleanField(_l("I would like to join the core team that prepares the recommendations"))
    newsletter = BooleanField(_l("Send me the newsletter (two to four times a year)"))
    consent = BooleanField(_l("I have read how my information is used (see above)"),
                           validators=[DataRequired(_l("Tick the box to show that you have read how your "
                                                       "information is used."))])

    def validate(self, extra_validators=None) -> bool:  # noqa: ANN001
        """Every rule in the first round: the one about email or phone too, which no single field can check
        (it was the service's, so it only showed once everything else was right)."""
        valid = super().validate(extra_validators)
        if not (self.email.data or self.phone.data) and not (self.email.errors or self.phone.errors):
            self.email.errors.append(CONTACT_NEEDED)
            return False
        return valid

    def validate_phone(self, field):  # noqa: ANN001
        if field.data and len(re.sub(r"\D", "", field.data)) < 6:
            raise ValidationError(_l("Write the whole phone number, for example 070 123 45 67."))

    def group_languages(self, forum) -> None:  # noqa: ANN001 - planning.models.Forum
        super().group_languages(forum)
        self.spoken_language.choices = forum_languages_first(
            ("", _l("Choose a language")), ["sv", *(forum.interpretation_languages or [])])

    def carried(self) -> list[tuple[str, str]]:
        """The answers as this form posts them, for the check page's hidden fields: sending them posts the
        form again, and every rule is checked again (what a visitor could change there, they could type)."""
        pairs = []
        for item in self:
            if item.name == "csrf_token":
                continue
            if item.type == "BooleanField":
                pairs += [(item.name, "y")] if item.data else []
            elif item.type == "MultiCheckboxField":
                pairs += [(item.name, value) for value in item.data or []]
            else:
                pairs.append((item.name, item.data or ""))
        return pairs

    def open_at(self, name: str) -> None:
        """A "Change" button on the check page: mark its question, so that the fold holding it opens."""
        if name in self._fields:
            self._fields[name].flags.changing = True

    def registration_fields(self, ui_language: str) -> dict:
        return {"name": self.name.data, "name_latin": self.name_latin.data or "", "email": self.email.data or "",
                "phone": self.phone.data or "", "messages_by": MessagesBy(self.messages_by.data or MessagesBy.EMAIL),
                "language": ui_language,
                "spoken_language": self.spoken_other.data or self.spoken_language.data or "",
                "wants_coreteam": self.wants_coreteam.data, "newsletter": self.newsletter.data,
                **self.needs_fields()}


class ResendLinkForm(FlaskForm):
    # Named ``email`` as before; it takes the number a phone-only registration gave as well.
    email = StringField(_l("Your email address or mobile number"), filters=[strip], validators=[
        DataRequired(_l("Enter your email address or mobile number.")), Length(max=254)], render_kw={"dir": "ltr"})

    def validate_email(self, field):  # noqa: ANN001
        if "@" in field.data:
            Email(_l("Enter an email address like name@example.org."))(self, field)
        elif sms.phone_for_sms(field.data, current_app.config["SMS_COUNTRY_CODE"]) is None:
            raise ValidationError(_l("Enter an email address like name@example.org or a mobile number like "
                                     "070 123 45 67."))


class WalkInForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(_l("Write the name.")), Length(max=200)])
    interpretation = SelectField(_l("Interpreter"), choices=interpretation_choices)
    children_ages = StringField(_l("Ages of children in childcare"), filters=[strip], validators=[Length(max=60)])
    # Set once the volunteer has seen the registered people whose names are alike, and adds a walk-in anyway.
    seen_matches = HiddenField(default="")

    def validate_children_ages(self, field):  # noqa: ANN001 - at the door staff take every child
        _ages(field)


class ChildcareChoiceForm(FlaskForm):
    """The answer page's choice when the childcare was full: a sealed token says for which registration."""

    choice = HiddenField()
