from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, Length

from ..formtools import strip


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[
        DataRequired(_l("Enter your email address.")),
        Email(_l("Enter an email address like name@example.org.")),
        Length(max=254),
    ], filters=[strip], render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))],
                             render_kw={"autocomplete": "current-password"})
