"""Registration: public sign-up in the resident's language, waiting list, self-service, check-in, what to order."""

from flask import Flask
from sqlalchemy import select

from ..core import events
from ..core.extensions import db
from ..planning.models import Forum
from ..planning.queries import install_counters
from ..privacy import registry as personal_data
from ..web import panels as registry
from . import admin, display, services, views
from .counts import count_attendance, count_phone_only, count_places
from .models import Registration, RegistrationStatus
from .notifications import send_forum_cancelled, send_forum_moved, sms_estimate
from .orders import order_summary
from .queries import returning_in


def init_app(app: Flask) -> None:
    personal_data.register("registrations", export=services.export_by_address, erase=services.erase_by_address)
    app.register_blueprint(views.bp)
    app.register_blueprint(views.short)
    app.register_blueprint(admin.bp)
    display.init_app(app)
    install_counters(app, places=count_places, attendance=count_attendance, phone_only=count_phone_only)
    registry.add_forum_admin_panel(app, "registrations/admin/_forum_panel.html",
                                   data=lambda forum: order_summary(forum.id))
    registry.add_forum_admin_panel(app, "registrations/admin/_returning_panel.html", data=returning_in)
    registry.add_forum_admin_panel(app, "registrations/admin/_sms_panel.html", data=sms_estimate)


def _active(forum: Forum) -> list[Registration]:
    return list(db.session.scalars(select(Registration).where(
        Registration.forum_id == forum.id, Registration.status != RegistrationStatus.CANCELLED)
        .order_by(Registration.id)))


@events.forum_cancelled.connect
def _tell_registrants(forum: Forum, **_kwargs) -> None:
    """Everyone with an active registration hears it on their channel, in their language, in the
    cancelling transaction; the calendar file has STATUS:CANCELLED so their calendar drops the event."""
    for registration in _active(forum):
        send_forum_cancelled(registration)


@events.forum_moved.connect
def _tell_registrants_of_the_move(forum: Forum, **_kwargs) -> None:
    """Everyone registered (with a place or waiting) hears the new time or place, in the saving transaction;
    by email with the calendar file of the same UID and a higher SEQUENCE, so their calendar updates."""
    for registration in _active(forum):
        send_forum_moved(registration)


@events.forum_saved.connect
def _fill_places_freed_by_the_change(forum: Forum, **_kwargs) -> None:
    services.fill_free_places(forum.id)
