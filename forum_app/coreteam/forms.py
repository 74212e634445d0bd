from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Email, Length, Optional, ValidationError

from ..i18n import interface_language_choices
from ..i18n.labels import choices, name_values
from ..planning.forms import MultiCheckboxField, language_choices
from ..web.forms import CityDateTimeField, FlaskForm, strip
from .models import TASKS, MembershipEnd


def task_choices():
    labels = {
        "organise_forums": _l("Help organise forums"), "mobilise": _l("Invite and mobilise participants"),
        "contact_officials": _l("Keep in touch with the officials, also between forums"),
        "summarise_results": _l("Summarise the results"),
        "present_to_leadership": _l("Present the results to the city's leadership"),
        "follow_implementation": _l("Follow how the recommendations are implemented"),
    }
    return [(task, labels[task]) for task in TASKS]


class VolunteerForm(FlaskForm):
    name = StringField(_l("Your name"), filters=[strip],
                       validators=[DataRequired(_l("Write your name.")), Length(max=200)])
    email = EmailField(_l("Email (optional)"), filters=[strip], validators=[
        Optional(), Email(_l("Enter an email address like name@example.org.")), Length(max=254)])
    phone = TelField(_l("Phone (optional)"), filters=[strip], validators=[Length(max=50)])
    languages = MultiCheckboxField(_l("Languages you speak"), choices=language_choices)
    message = TextAreaField(_l("Why would you like to join? (optional)"), filters=[strip],
                            validators=[Length(max=2000)])
    consent = BooleanField(_l("The integration office may keep my details to contact me about the core team"),
                           validators=[DataRequired(_l("Tick the box so that we may contact you."))])

    def validate_phone(self, field):  # noqa: ANN001
        if not field.data and not self.email.data:
            raise ValidationError(_l("Give an email address or a phone number, so that we can reach you."))


class MemberForm(FlaskForm):
    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(_l("Write the name.")), Length(max=200)])
    email = EmailField(_l("Email address"), filters=[strip], validators=[
        Optional(), Email(_l("Enter an email address like name@example.org.")), Length(max=254)])
    phone = TelField(_l("Phone"), filters=[strip], validators=[Length(max=50)])
    language = SelectField(_l("Language for emails"),
                           choices=interface_language_choices)
    languages = MultiCheckboxField(_l("Languages they speak"), choices=language_choices)
    tasks = MultiCheckboxField(_l("Tasks"), choices=task_choices)
    term_start = DateField(_l("Term starts"), validators=[DataRequired(_l("Enter a date."))])
    term_end = DateField(_l("Term ends"), validators=[DataRequired(_l("Enter a date."))])

    def validate_term_end(self, field):  # noqa: ANN001
        if self.term_start.data and field.data and field.data <= self.term_start.data:
            raise ValidationError(_l("The term must end after it starts."))


class PaperVolunteerForm(FlaskForm):
    """A volunteer's paper form from the door, typed in by staff."""

    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(_l("Write the name.")), Length(max=200)])
    email = EmailField(_l("Email address"), filters=[strip], validators=[
        Optional(), Email(_l("Enter an email address like name@example.org.")), Length(max=254)])
    phone = TelField(_l("Phone"), filters=[strip], validators=[Length(max=50)])
    language = SelectField(_l("Language for emails"), choices=interface_language_choices)
    languages = MultiCheckboxField(_l("Languages they speak"), choices=language_choices)
    forum_id = SelectField(_l("At which forum"), coerce=int)
    message = TextAreaField(_l("What they wrote"), filters=[strip], validators=[Length(max=2000)])
    consent = BooleanField(_l("They signed the paper form, which says how their information is used"),
                           validators=[DataRequired(_l("Only a signed form can be typed in."))])


END_WORDS = name_values(MembershipEnd, {MembershipEnd.TERM_OVER: _l("The term is over"),
                                       MembershipEnd.STEPPED_DOWN: _l("Stepped down")})


def end_choices():
    return choices(MembershipEnd)


class EndMembershipForm(FlaskForm):
    reason = RadioField(_l("Why the membership ends"), choices=end_choices, default=MembershipEnd.TERM_OVER.value)
    note = StringField(_l("Reason, if they gave one (optional)"), filters=[strip], validators=[Length(max=500)])


class GuestForm(FlaskForm):
    """Department staff without an account, invited to a meeting."""

    name = StringField(_l("Name"), filters=[strip], validators=[DataRequired(_l("Write the name.")), Length(max=200)])
    email = EmailField(_l("Email address"), filters=[strip], validators=[
        DataRequired(_l("Enter the email address the invitation goes to.")),
        Email(_l("Enter an email address like name@example.org.")), Length(max=254)])
    department = StringField(_l("Department"), filters=[strip], validators=[Length(max=200)])
    language = SelectField(_l("Language for emails"), choices=interface_language_choices)


class AcceptForm(FlaskForm):
    invite = BooleanField(_l("Also send an invitation to create an account"), default=True)


class MeetingForm(FlaskForm):
    title = StringField(_l("Title"), filters=[strip], validators=[DataRequired(_l("Write a title.")), Length(max=200)])
    starts_at = CityDateTimeField(_l("Starts"), validators=[DataRequired(_l("Enter when the meeting starts."))])
    ends_at = CityDateTimeField(_l("Ends"), validators=[DataRequired(_l("Enter when the meeting ends."))])
    place = StringField(_l("Place"), filters=[strip], validators=[Length(max=300)])
    online_link = URLField(_l("Link for joining online"), filters=[strip], validators=[
        Optional(), URL(message=_l("Enter a whole web address, starting with https://")), Length(max=500)])
    agenda = TextAreaField(_l("Agenda"), filters=[strip], validators=[Length(max=5000)])
    notes = TextAreaField(_l("Notes"), filters=[strip], validators=[Length(max=20000)])
    decisions = TextAreaField(_l("Decisions"), filters=[strip], validators=[Length(max=5000)])
    attendee_ids = MultiCheckboxField(_l("Who attended"), coerce=int)
    official_ids = MultiCheckboxField(_l("Officials invited"), coerce=int)
    present_official_ids = MultiCheckboxField(_l("Officials present"), coerce=int)

    def validate_ends_at(self, field):  # noqa: ANN001
        if self.starts_at.data and field.data and field.data <= self.starts_at.data:
            raise ValidationError(_l("The meeting must end after it starts."))
