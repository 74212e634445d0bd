"""The one access decorator that guards every staff page."""

from __future__ import annotations

from functools import wraps

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from .models import Role


def staff_required(*roles: Role):
    """Require a logged-in user with one of ``roles`` (default: admin only).

    Anonymous readers are sent to the login page and come back afterwards; a user without
    the role gets a 403 page in their language.
    """
    allowed = roles or (Role.ADMIN,)

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))
            if not current_user.is_active:  # e.g. a core team term that has ended since login
                logout_user()
                flash(_("Your account is no longer active. Ask the integration office if you need access."), "error")
                return redirect(url_for("accounts.login"))
            if not current_user.has_role(*allowed):
                abort(403)
            return view(*args, **kwargs)

        wrapped.staff_roles = allowed  # read by the test that checks every staff page is guarded
        return wrapped

    return decorator
