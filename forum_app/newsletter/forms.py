from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, SelectField
from wtforms.validators import DataRequired, Email

from ..i18n import interface_language_choices as language_choices
from ..i18n.forms import TranslatedTextField
from ..web.forms import CityDateTimeField, FlaskForm, strip
from ..web.public_forms import CookielessForm


class SubscribeForm(CookielessForm):
    """Also in every page's footer, so it carries no session token (see ``public_forms``)."""

    email = EmailField(_l("Your email address"), filters=[strip], validators=[
        DataRequired(_l("Enter your email address.")), Email(_l("Enter an email address like name@example.org."))],
        render_kw={"autocomplete": "email"})
    language = SelectField(_l("Language of the newsletter"), choices=language_choices)


class IssueForm(FlaskForm):
    title = TranslatedTextField(_l("Title"), max_length=200)
    period_start = DateField(_l("Period from"), validators=[DataRequired(_l("Enter a date."))])
    period_end = DateField(_l("Period to"), validators=[DataRequired(_l("Enter a date."))])


class ScheduleForm(FlaskForm):
    send_at = CityDateTimeField(_l("Send at"), validators=[DataRequired(_l("Enter when to send."))])


class TestSendForm(FlaskForm):
    email = EmailField(_l("Send a test to"), filters=[strip], validators=[
        DataRequired(_l("Enter your email address.")), Email(_l("Enter an email address like name@example.org."))])
    language = SelectField(_l("In the language"), choices=language_choices)


def section_form_class(issue):  # noqa: ANN001, ANN201
    """A form with a heading and a body for each section of ``issue``."""

    class SectionsForm(FlaskForm):
        title = TranslatedTextField(_l("Title"), max_length=200)

    for section in issue.sections:
        setattr(SectionsForm, f"heading_{section.id}", TranslatedTextField(_l("Heading"), max_length=200))
        setattr(SectionsForm, f"body_{section.id}", TranslatedTextField(_l("Text"), multiline=True))
    return SectionsForm
