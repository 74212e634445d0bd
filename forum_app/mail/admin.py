"""Staff's view of the mail outbox (``/<lang>/admin/mail/``), and the dashboard's warnings when mail
fails or waits, or when the scheduler has gone silent."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select

from ..core.extensions import db
from ..i18n.labels import name_values
from ..jobs import heartbeat
from ..web import panels as registry
from ..web.access import staff_required
from ..web.links import int_arg
from .outbox import queries, services
from .outbox.models import MailStatus, OutboxMessage

bp = Blueprint("mail_admin", __name__, url_prefix="/<lang:lang>/admin/mail")

PER_PAGE = 50
STATUS_LABELS = name_values(MailStatus, {MailStatus.WAITING: _l("Waiting"), MailStatus.SENDING: _l("Being sent"),
                                         MailStatus.SENT: _l("Sent"), MailStatus.FAILED: _l("Failed")})
CHANNELS = [("email", _l("Email")), ("sms", _l("SMS"))]
FILTERS = {"waiting": [MailStatus.WAITING, MailStatus.SENDING], "sent": [MailStatus.SENT],
           "failed": [MailStatus.FAILED]}


@bp.route("/")
@staff_required("manage_mail")
def index():
    status = request.args.get("status", "")
    search = request.args.get("q", "").strip()[:200]
    channel = request.args.get("channel", "")
    channel = channel if channel in dict(CHANNELS) else ""
    page = int_arg("page", 1, high=100_000)
    query = select(OutboxMessage)
    if status in FILTERS:
        query = query.where(OutboxMessage.status.in_(FILTERS[status]))
    if channel:
        query = query.where(OutboxMessage.channel == channel)
    if search:
        needle = search.lower()  # a % or _ in it is a character to find, not a wildcard (autoescape)
        query = query.where(func.lower(OutboxMessage.recipient).contains(needle, autoescape=True)
                            | func.lower(OutboxMessage.subject).contains(needle, autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    messages = db.session.scalars(query.order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
                                  .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return render_template("admin/mail.html", messages=messages, counts=queries.counts(), status=status,
                           search=search, page=page, pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
                           total=total, labels=STATUS_LABELS, MailStatus=MailStatus, channel=channel,
                           channels=CHANNELS, channel_labels=dict(CHANNELS))


@bp.route("/retry", methods=["POST"])
@staff_required("manage_mail")
def retry():
    ids = [int(value) for value in request.form.getlist("message_id") if value.isdigit()]
    if request.form.get("all_failed"):
        ids = list(db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.status == MailStatus.FAILED)))
    count = services.retry(ids) if ids else 0
    flash(ngettext("%(num)d message will be tried again now.", "%(num)d messages will be tried again now.", count),
          "success")
    return redirect(url_for(".index", status=request.form.get("status", "")))


def _warnings() -> dict:
    last = heartbeat.last_beat()
    return {"mail": queries.needs_attention(), "scheduler_silent": heartbeat.is_silent(last=last),
            "scheduler_last": last}


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    registry.add_dashboard_panel(app, "admin/_mail_panel.html", "manage_mail")
    app.jinja_env.globals["operations_warnings"] = _warnings
