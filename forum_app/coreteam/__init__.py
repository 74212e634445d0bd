"""The core team: volunteers, one-year terms, meetings between forums, and a workspace."""

from flask import Flask
from flask_babel import lazy_gettext as _l

from ..accounts.models import Role, User
from ..core import events
from ..core.timeutil import city_today
from ..i18n.formatting import format_date
from ..privacy import registry as personal_data
from ..web import panels as registry
from . import admin, history, queries, services, views  # noqa: F401 - history: how its audited fields read
from .forms import task_choices


def init_app(app: Flask) -> None:
    personal_data.register("coreteam", export=services.export_by_address, erase=services.erase_by_address)
    app.register_blueprint(views.bp)
    app.register_blueprint(admin.bp)
    registry.add_nav(app, "coreteam.join", _l("Core team"))
    registry.add_dashboard_panel(app, "coreteam/_dashboard_admin.html", "manage_core_team", data=queries.overview)
    registry.add_dashboard_panel(app, "coreteam/_dashboard_workspace.html", "work_in_core_team",
                                 data=queries.workspace_context)
    registry.add_dashboard_panel(app, "coreteam/_dashboard_official.html", "meet_the_core_team",
                                 data=queries.meetings_of_official)
    app.jinja_env.globals["task_choices"] = task_choices


@events.account_checked.connect
def _term_still_running(user: User) -> bool:
    """A core-team account lasts as long as the term, even in the middle of a session."""
    member = getattr(user, "core_member", None) if user.role is Role.CORETEAM else None
    return member is None or member.term_end >= city_today()


@events.access_ended_why.connect
def _term_ended(user: User):  # noqa: ANN202 - a lazy string or None
    """A former member is told that their term has ended, not that the password is wrong."""
    member = getattr(user, "core_member", None) if user.role is Role.CORETEAM else None
    if member is None or member.term_end >= city_today():
        return None
    return _l("Your term in the core team ended on %(date)s, so this account can no longer log in. Thank you "
              "for your work! If you join the core team again, the integration office will send you a new "
              "invitation.", date=format_date(member.term_end))


@events.registered.connect
def _volunteer_from_registration(registration, volunteer: bool = False, **_kwargs) -> None:  # noqa: ANN001
    if volunteer:
        services.add_volunteer(
            name=registration.name, email=registration.email, phone=registration.phone,
            language=registration.language,
            languages=[registration.spoken_language] if registration.spoken_language else [],
            forum_id=registration.forum_id)
