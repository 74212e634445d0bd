"""The one access decorator that guards every staff page, reading the table of abilities."""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from .permissions import roles_with


def staff_required(ability: str):
    """Require a logged-in user who has ``ability`` in the table of web/permissions.py.

    Anonymous readers are sent to the login page and come back afterwards; a user without
    the ability gets a 403 page in their language.
    """
    allowed = roles_with(ability)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
            if not current_user.is_active:  # e.g. a core team term that has ended since login
                logout_user()
                flash(_("Your account is no longer active. Ask the integration office if you need access."), "error")
                return redirect(url_for("accounts.login"))
            if not current_user.can(ability):
                abort(403)
            return view(*args, **kwargs)

        wrapped.staff_roles = allowed  # read by the tests that check every staff page against the table
        wrapped.ability = ability
        return wrapped

    return decorator
