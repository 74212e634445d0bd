"""Staff forms for the year's plan. Staff type local times; the views convert them with timeutil."""

from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Form,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
    TimeField,
    widgets,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError

from ..core.extensions import db
from ..core.timeutil import utc_to_local
from ..i18n import interface_language_choices
from ..i18n.collation import collated
from ..i18n.content import language_display_name, localize
from ..i18n.forms import TranslatedTextField
from ..i18n.labels import name_values
from ..web.forms import CityDateTimeField, FlaskForm, LocaleDecimalField, strip
from .language_list import INTERPRETATION_LANGUAGES
from .models import BudgetCategory, Forum, ForumFormat, OrganisationKind, ProposerKind, Topic, TopicOrigin


def topic_choices() -> list[tuple[int, str]]:
    from sqlalchemy import select

    return [(t.id, _("%(first)s – %(second)s", first=t.year, second=localize(t.title).text))
            for t in db.session.scalars(select(Topic).order_by(Topic.year.desc(), Topic.id))]


def forum_choices() -> list[tuple[int, str]]:
    from sqlalchemy import select

    return [(f.id, _("%(first)s – %(second)s", first=f"{utc_to_local(f.starts_at):%Y-%m-%d}", second=localize(f.hook).text))
            for f in db.session.scalars(select(Forum).order_by(Forum.starts_at.desc()))]


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def origin_choices():
    return [(TopicOrigin.OFFICIALS.value, _l("City officials")),
            (TopicOrigin.ASSOCIATIONS.value, _l("Associations")),
            (TopicOrigin.BOTH.value, _l("Both officials and associations")),
            (TopicOrigin.CORETEAM.value, _l("The core team"))]


class AgreementForm(FlaskForm):
    agreed_on = DateField(_l("Agreed with the core team on"),
                          validators=[DataRequired(_l("Enter the date the core team agreed."))])
    note = TextAreaField(_l("What was agreed (optional)"), filters=[strip], validators=[Length(max=1000)])


class MandateForm(FlaskForm):
    decided_by = TranslatedTextField(_l("Decided by"), max_length=300)
    decided_on = DateField(_l("Date of the decision"), validators=[Optional()])
    decision_reference = StringField(_l("Decision reference"), filters=[strip], validators=[Length(max=120)])
    description = TranslatedTextField(_l("What the forum is asked to do"), multiline=True, required=False)
    core_team_agreed_on = DateField(_l("Agreed with the core team on"), validators=[Optional()])


class ConsultationForm(FlaskForm):
    """Staff open the year's call for questions."""

    closes_on = DateField(_l("Proposals can be sent until"),
                          validators=[InputRequired(_l("Enter the last day for proposals."))])
    intro = TranslatedTextField(_l("Text of the call"), multiline=True, required=False)


def proposer_choices():
    return [(ProposerKind.RESIDENT.value, _l("I live in the city")),
            (ProposerKind.ASSOCIATION.value, _l("An association")),
            (ProposerKind.DEPARTMENT.value, _l("A city department"))]


class ProposalForm(FlaskForm):
    """The public form of the call: one question and who proposes it; no account, no email."""

    question = TextAreaField(_l("Your question"), filters=[strip], validators=[
        DataRequired(_l("Write the question you find most pressing.")), Length(max=2000)])
    kind = RadioField(_l("Who is proposing it?"), choices=proposer_choices, default=ProposerKind.RESIDENT.value)
    proposer = StringField(_l("Name of the association or department"), filters=[strip],
                           validators=[Length(max=200)])

    def validate_proposer(self, field):  # noqa: ANN001
        if self.kind.data != ProposerKind.RESIDENT.value and not field.data:
            raise ValidationError(_l("Write the name of the association or department."))


class SameQuestionForm(FlaskForm):
    same_as = SelectField(_l("The same question as"), coerce=int)


class TopicForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(_l("Enter the year.")),
                                                NumberRange(2000, 2100, _l("Enter a year such as 2027."))])
    title = TranslatedTextField(_l("Title"), max_length=200)
    background = TranslatedTextField(_l("Background"), multiline=True, required=False)
    question_1 = TranslatedTextField(_l("Guiding question 1"), max_length=400)
    question_2 = TranslatedTextField(_l("Guiding question 2"), max_length=400)
    question_3 = TranslatedTextField(_l("Guiding question 3"), max_length=400)
    question_4 = TranslatedTextField(_l("Guiding question 4 (optional)"), max_length=400, required=False)
    origin = SelectField(_l("Where the question came from"), choices=origin_choices, coerce=TopicOrigin)
    within_competence = BooleanField(_l("Lies within the city's competence"), default=True)
    district = StringField(_l("District (for a local question)"), filters=[strip], validators=[Length(max=120)])
    proposal_id = IntegerField(widget=widgets.HiddenInput(), validators=[Optional()])  # made from a proposal

    def question_fields(self):
        return [self.question_1, self.question_2, self.question_3, self.question_4]


def language_choices():
    return collated(((code, language_display_name(code)) for code in INTERPRETATION_LANGUAGES),
                    key=lambda pair: pair[1])


class SideEventForm(FlaskForm):
    """One item of a full day's side programme, on the forum's own day."""

    time = TimeField(_l("Time"), validators=[InputRequired(_l("Enter the time, for example 13:30."))])
    title = TranslatedTextField(_l("Title"), max_length=200)
    text = TranslatedTextField(_l("What happens"), multiline=True, required=False)


class ForumForm(FlaskForm):
    # Asked only when a published forum with people registered moves (services.MoveNeedsConfirmation).
    confirm_move = BooleanField(_l("Yes, change the forum and tell them"))
    topic_id = SelectField(_l("Topic"), coerce=int)
    hook = TranslatedTextField(_l("Inviting hook"), max_length=200)
    description = TranslatedTextField(_l("Invitation text"), multiline=True, required=False)
    format = SelectField(_l("Format"), coerce=ForumFormat, choices=[(ForumFormat.EVENING.value, _l("An evening after 18:00")),
                                                (ForumFormat.FULL_DAY.value, _l("A full day"))])
    starts_at = CityDateTimeField(_l("Starts"), validators=[DataRequired(_l("Enter when the forum starts."))])
    ends_at = CityDateTimeField(_l("Ends"), validators=[DataRequired(_l("Enter when the forum ends."))])
    venue_name = StringField(_l("Venue"), filters=[strip],
                             validators=[DataRequired(_l("Enter the venue.")), Length(max=200)])
    venue_address = StringField(_l("Address"), filters=[strip],
                                validators=[DataRequired(_l("Enter the address.")), Length(max=300)])
    # Asked for in so many words: a resident in a wheelchair, or with a pram, decides on it (issue 28).
    venue_access = TranslatedTextField(_l("Access: how to get in and around"), multiline=True, required=False)
    venue_position = StringField(_l("Map position (optional)"), filters=[strip], validators=[Length(max=60)])
    venue_stop = StringField(_l("Nearest public-transport stop (optional)"), filters=[strip],
                             validators=[Length(max=200)])
    capacity = IntegerField(_l("Places"), validators=[DataRequired(_l("Enter the number of places.")),
                                                      NumberRange(1, 5000, _l("Enter a number from 1 to 5000."))])
    childcare_offered = BooleanField(_l("Childcare is offered"), default=True)
    childcare_capacity = IntegerField(_l("Childcare places (leave empty for no limit)"),
                                      validators=[Optional(), NumberRange(0, 1000)])
    food = TranslatedTextField(_l("Food and drink"), required=False, max_length=300)
    interpretation_languages = MultiCheckboxField(_l("Interpreters offered"), choices=language_choices)
    registration_opens_at = CityDateTimeField(_l("Registration opens"), validators=[Optional()])
    registration_closes_at = CityDateTimeField(_l("Registration closes"), validators=[Optional()])
    moderator = StringField(_l("External moderator"), filters=[strip], validators=[Length(max=200)])
    moderator_role = TranslatedTextField(_l("The moderator's role, for example journalist"), required=False,
                                         max_length=200)
    partner_ids = MultiCheckboxField(_l("Partner organisations"), coerce=int)
    poster_languages = MultiCheckboxField(
        _l("Poster languages (choose two)"),
        choices=interface_language_choices)

    def validate_poster_languages(self, field):  # noqa: ANN001
        if field.data and len(field.data) != 2:
            raise ValidationError(_l("Choose exactly two languages for the poster."))

    def validate_venue_position(self, field):  # noqa: ANN001
        if field.data and parse_position(field.data) is None:
            raise ValidationError(_l("Write the position as two numbers, latitude then longitude, for example "
                                     "55.6050, 13.0038."))

    def position(self) -> dict:
        lat, lon = parse_position(self.venue_position.data) or (None, None)
        return {"venue_latitude": lat, "venue_longitude": lon}


def parse_position(text: str) -> tuple[Decimal, Decimal] | None:
    """"55.6050, 13.0038" (as a map's "share" or right click gives it; a comma or a space between) ->
    (55.605, 13.0038) to six decimals (10 cm); None when it is not a latitude and a longitude."""
    numbers = re.findall(r"-?\d+(?:\.\d+)?", text or "")
    if len(numbers) != 2:
        return None
    lat, lon = (Decimal(number).quantize(Decimal("0.000001")) for number in numbers)
    return (lat, lon) if -90 <= lat <= 90 and -180 <= lon <= 180 else None


def position_text(lat: Decimal | None, lon: Decimal | None) -> str:
    """The position as the form shows it again: "55.605, 13.0038"."""
    if lat is None or lon is None:
        return ""
    return ", ".join(format(value.normalize(), "f") for value in (Decimal(lat), Decimal(lon)))


class CopyForumForm(Form):
    """A GET form on the new forum's page (it changes nothing, so it carries no token)."""

    copy = SelectField(_l("Earlier forum"), coerce=int, validators=[Optional()])


class CancelForumForm(FlaskForm):
    confirm = BooleanField(_l("I understand that the people who registered will be told the forum is cancelled"))


def kind_choices():
    return [(OrganisationKind.ASSOCIATION.value, _l("Association")),
            (OrganisationKind.NGO.value, _l("Non-governmental organisation")),
            (OrganisationKind.SERVICE_PROVIDER.value, _l("Service provider")),
            (OrganisationKind.PROFESSIONAL.value, _l("Professional")),
            (OrganisationKind.OTHER.value, _l("Other"))]


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(_l("Enter the name.")), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=kind_choices, coerce=OrganisationKind)
    contact_person = StringField(_l("Contact person"), filters=[strip], validators=[Length(max=200)])
    email = EmailField(_l("Email address"), filters=[strip], validators=[
        Optional(), Email(_l("Enter an email address like name@example.org.")), Length(max=254)])
    phone = TelField(_l("Phone"), filters=[strip], validators=[Length(max=50)])
    communities = StringField(_l("Communities they reach"), filters=[strip], validators=[Length(max=300)])
    languages = MultiCheckboxField(_l("Languages they work in"), choices=language_choices)
    mail_language = SelectField(_l("Language of our emails to them"), choices=interface_language_choices,
                                default="sv")
    topic_ids = MultiCheckboxField(_l("Related topics"), coerce=int)
    notes = TextAreaField(_l("Notes"), filters=[strip], validators=[Length(max=2000)])


def category_labels():
    return name_values(BudgetCategory, {
        BudgetCategory.MODERATION: _l("Moderation"), BudgetCategory.ARTISTS: _l("Artists"),
        BudgetCategory.VENUE: _l("Venue"), BudgetCategory.INTERPRETATION: _l("Interpretation"),
        BudgetCategory.CHILDCARE: _l("Childcare"), BudgetCategory.FOOD: _l("Food"),
        BudgetCategory.INFORMATION: _l("Information material"), BudgetCategory.NEWSLETTER: _l("Newsletter"),
        BudgetCategory.IMPLEMENTATION: _l("Implementation of measures"), BudgetCategory.OTHER: _l("Other"),
    })


class BudgetLineForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(_l("Enter the year.")),
                                                NumberRange(2000, 2100, _l("Enter a year such as 2027."))])
    category = SelectField(_l("Category"), coerce=BudgetCategory,
                           choices=lambda: [(c.value, l) for c, l in category_labels().items()])
    description = StringField(_l("Description"), filters=[strip], validators=[Length(max=300)])
    forum_id = SelectField(_l("Forum (optional)"), coerce=int)
    department = StringField(_l("Department (optional)"), filters=[strip], validators=[Length(max=200)])
    planned = LocaleDecimalField(_l("Planned (SEK)"), places=2, validators=[
        InputRequired(_l("Enter the planned amount.")), NumberRange(0, 100_000_000)])
    actual = LocaleDecimalField(_l("Actual (SEK)"), places=2, validators=[Optional(), NumberRange(0, 100_000_000)])


class PartnerInvitationForm(FlaskForm):
    organisation_ids = MultiCheckboxField(_l("Send to"), coerce=int)
