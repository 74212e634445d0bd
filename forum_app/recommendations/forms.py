from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from ..i18n.forms import TranslatedTextField
from ..planning.forms import MultiCheckboxField
from ..web.forms import FlaskForm, LocaleDecimalField, strip
from ..web.public_forms import CookielessForm


class ResultForm(FlaskForm):
    attendance = IntegerField(_l("Number of participants"), validators=[
        Optional(), NumberRange(0, 10000, _l("Enter a number from 0 to 10000."))])
    summary = TranslatedTextField(_l("Summary"), multiline=True, required=False)
    publish = BooleanField(_l("Publish the results on the forum's public page"))
    department_ids = MultiCheckboxField(_l("Departments that took part"), coerce=int)


class AttachmentForm(FlaskForm):
    file = FileField(_l("Photo or PDF (at most 10 MB)"))


class RecommendationForm(FlaskForm):
    topic_id = SelectField(_l("Topic"), coerce=int)
    forum_ids = MultiCheckboxField(_l("From the forums"), coerce=int)
    title = TranslatedTextField(_l("Short title"), max_length=200)
    text = TranslatedTextField(_l("Recommendation"), multiline=True)
    within_competence = BooleanField(_l("Lies within the city's competence"), default=True)
    route = TranslatedTextField(_l("If outside: how the city passes it on"), multiline=True, required=False)
    department_ids = MultiCheckboxField(_l("Addressed to"), coerce=int)
    mainstreamed = BooleanField(_l("Carried out as part of a department's regular service (mainstreaming)"))
    against_discrimination = BooleanField(_l("Acts against discrimination"))


class AssignForm(FlaskForm):
    official_id = SelectField(_l("Responsible official (project lead)"), coerce=int)
    responsible_role = TranslatedTextField(_l("Responsible role, as shown to the public"), required=False,
                                           max_length=200)
    due_on = DateField(_l("Planned completion date"), validators=[Optional()])


class StatusForm(FlaskForm):
    to = SelectField(_l("New status"))
    note = TextAreaField(_l("Why (shown in the history)"), filters=[strip], validators=[Length(max=2000)])
    decision_reason = TranslatedTextField(_l("Reason given for declining"), multiline=True, required=False)
    outcome = TranslatedTextField(_l("What was done"), multiline=True, required=False)


class ProgressForm(FlaskForm):
    on = DateField(_l("Date"), validators=[DataRequired(_l("Enter a date."))])
    text = TranslatedTextField(_l("Progress"), multiline=True)
    to = SelectField(_l("Change the status too (optional)"))
    due_on = DateField(_l("New planned completion date (optional)"), validators=[Optional()])
    outcome = TranslatedTextField(_l("What was done"), multiline=True, required=False)


class FollowForm(CookielessForm):
    """On the cached tracker pages, so it carries no session token (see ``public_forms``)."""

    email = EmailField(_l("Your email address"), filters=[strip], validators=[
        DataRequired(_l("Enter your email address.")), Email(_l("Enter an email address like name@example.org."))])


class DepartmentForm(FlaskForm):
    name = TranslatedTextField(_l("Name"), max_length=200)


class HandOnForm(FlaskForm):
    to_whom = StringField(_l("Passed on to"), filters=[strip], validators=[
        DataRequired(_l("Write to whom the city passed it on, for example the government.")), Length(max=300)])
    sent_on = DateField(_l("Sent on"), validators=[DataRequired(_l("Enter the date it was sent."))])
    letter = FileField(_l("The letter (PDF, at most 10 MB)"))


class AnswerForm(FlaskForm):
    answered_on = DateField(_l("Answered on"), validators=[DataRequired(_l("Enter the date of the answer."))])
    answer = TranslatedTextField(_l("The answer, in short"), multiline=True)


class PresentationForm(FlaskForm):
    presented_on = DateField(_l("Presented on"), validators=[DataRequired(_l("Enter the date of the presentation."))])
    body = StringField(_l("To which body"), filters=[strip], validators=[
        DataRequired(_l("Write to whom it was presented, for example the city executive board.")), Length(max=300)])
    recommendation_ids = MultiCheckboxField(_l("Recommendations presented"), coerce=int)
    member_ids = MultiCheckboxField(_l("Core-team members who presented"), coerce=int)
    official_ids = MultiCheckboxField(_l("Officials who presented"), coerce=int)
    department_ids = MultiCheckboxField(_l("Departments that presented (where no official is named)"), coerce=int)
    decision_makers_present = IntegerField(_l("How many decision makers were present"), validators=[
        Optional(), NumberRange(0, 1000, _l("Enter a number from 0 to 1000."))])
    material = FileField(_l("The material shown (PDF or picture, at most 10 MB)"))


class MeasureCostForm(FlaskForm):
    """A measure's costs for one year, owned by one department (issue 27 item 6)."""

    year = IntegerField(_l("Year"), validators=[DataRequired(_l("Enter the year.")),
                                                NumberRange(2000, 2100, _l("Enter a year such as 2027."))])
    department_id = SelectField(_l("Department"), coerce=int)
    description = StringField(_l("Description"), filters=[strip], validators=[
        DataRequired(_l("Write what the money is for.")), Length(max=300)])
    planned = LocaleDecimalField(_l("Planned (SEK)"), places=2, validators=[
        InputRequired(_l("Enter the planned amount.")), NumberRange(0, 100_000_000)])
    actual = LocaleDecimalField(_l("Actual (SEK)"), places=2, validators=[Optional(), NumberRange(0, 100_000_000)])
