from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..web.forms import FlaskForm, strip


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter your email address.")),
        Email(_l("Enter an email address like name@example.org.")),
        Length(max=254),
    ], filters=[strip], render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})


from wtforms import BooleanField, SelectField, StringField  # noqa: E402

from ..i18n import interface_language_choices  # noqa: E402
from .models import Role  # noqa: E402


def role_choices():
    return [(Role.ADMIN.value, _l("Staff of the integration office")), (Role.CORETEAM.value, _l("Core team")),
            (Role.OFFICIAL.value, _l("Official in a department")),
            (Role.TRANSLATOR.value, _l("Translator (staff content in other languages only)"))]


class UserForm(FlaskForm):
    email = EmailField(_l("Email address"), filters=[strip], validators=[
        DataRequired(_l("Enter the email address.")), Email(_l("Enter an email address like name@example.org.")),
        Length(max=254)])
    name = StringField(_l("Name"), filters=[strip], validators=[Length(max=200)])
    role = SelectField(_l("Role"), choices=role_choices, coerce=Role)
    department_id = SelectField(_l("Department (for officials)"), coerce=int)
    language = SelectField(_l("Language for emails"),
                           choices=interface_language_choices)
    active = BooleanField(_l("Can log in"), default=True)


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email address"), filters=[strip], validators=[
        DataRequired(_l("Enter your email address.")), Email(_l("Enter an email address like name@example.org."))])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("Choose a password"), validators=[DataRequired(_l("Enter a password.")),
                                                                  Length(min=10, message=_l("Use at least 10 characters."))],
                             render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("The same password again"), validators=[
        EqualTo("password", _l("The two passwords are not the same."))], render_kw={"autocomplete": "new-password"})
