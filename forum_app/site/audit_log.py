"""The audit log staff can read: ``/<lang>/admin/audit/``, newest first, with filters and pages.

Each row says who did what to which object and when, and the fields that changed, before → after
(personal values are already masked when written; see ``audit.py``). The page runs the same number
of queries whatever is shown: the users and kinds for the filters, a count, one page of events with
their users joined.
"""

from __future__ import annotations

from datetime import date, datetime, time

from flask import Blueprint, Flask, render_template, request
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import func, select

from ..accounts.queries import people_by_name
from ..core.audit import ACTION_LABELS, AuditEvent
from ..core.extensions import db
from ..core.timeutil import local_to_utc
from ..web import history as readable
from ..web import panels as registry
from ..web.access import staff_required
from ..web.links import int_arg

bp = Blueprint("audit_admin", __name__, url_prefix="/<lang:lang>/admin/audit")

PER_PAGE = 50

# The kinds of object, in words; a kind not named here is shown by its model's name.
OBJECT_LABELS = {
    "Forum": _l("Forum"), "Topic": _l("Topic"), "Registration": _l("Registration"), "User": _l("User"),
    "Recommendation": _l("Recommendation"), "CoreTeamMember": _l("Core team member"), "Meeting": _l("Meeting"),
    "Volunteer": _l("Volunteer"), "Issue": _l("Newsletter issue"), "PrivacyRequest": _l("Request about personal data"),
    "OutboxMessage": _l("Email"),
}


def _day(name: str) -> date | None:
    value = request.args.get(name, "").strip()
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@bp.route("/")
@staff_required("see_audit_log")
def index():
    person = int_arg("user", 0, high=10**9)
    kind = request.args.get("kind", "").strip()[:60]
    action = request.args.get("action", "").strip()[:60]
    day_from, day_to = _day("from"), _day("to")
    page = int_arg("page", 1, high=100_000)
    errors = [name for name in ("from", "to") if request.args.get(name, "").strip() and _day(name) is None]

    query = select(AuditEvent)
    if person:
        query = query.where(AuditEvent.user_id == person)
    if kind:
        query = query.where(AuditEvent.object_type == kind)
    if action:
        query = query.where(AuditEvent.action == action)
    if day_from:
        query = query.where(AuditEvent.at >= local_to_utc(datetime.combine(day_from, time.min)))
    if day_to:
        query = query.where(AuditEvent.at < local_to_utc(datetime.combine(day_to, time.max)))
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    events = db.session.scalars(query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
                                .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).unique().all()
    users = people_by_name()
    kinds = db.session.scalars(select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)).all()
    filters = {"user": person or "", "kind": kind, "action": action,
               "from": request.args.get("from", "").strip()[:10], "to": request.args.get("to", "").strip()[:10]}
    return render_template("admin/audit.html", events=events, users=users, kinds=kinds, filters=filters,
                           object_labels=OBJECT_LABELS, action_labels=ACTION_LABELS, page=page, total=total,
                           pages=max((total + PER_PAGE - 1) // PER_PAGE, 1), date_errors=errors)


def history(object_type: str, object_id: int) -> Markup:
    """An object's history for its staff page: ``{{ audit_history("Meeting", meeting.id) }}``, in words
    (``web/history.py``), oldest first."""
    return Markup(render_template("admin/_history.html",
                                  entries=readable.entries(AuditEvent.for_object(object_type, object_id))))


def event_changes(event: AuditEvent) -> list[readable.Change]:
    """The fields one event of the log changed, in words."""
    return readable.changes_of(event.object_type, event.changes)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals.update(audit_history=history, audit_event_changes=event_changes)
    # Links to this page and to the requests about personal data, for those who may open them.
    registry.add_dashboard_panel(app, "admin/_records_panel.html")
