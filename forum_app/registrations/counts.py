"""Places taken and waiting per forum: one grouped query for any number of forums.

Installed into planning at start-up (``planning.queries.install_place_counter``), so the forum pages,
the dashboard and the API read places through ``planning.queries.places``.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, select

from ..core.extensions import db
from .models import Registration, RegistrationStatus

# Built once (every forum page runs it); answered from the index ix_registration_places alone.
_PLACES = (select(Registration.forum_id, Registration.status, func.count())
           .where(Registration.forum_id.in_(bindparam("forum_ids", expanding=True)),
                  Registration.walk_in.is_(False),
                  Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)))
           .group_by(Registration.forum_id, Registration.status))


def holding_a_place(forum_id: int) -> tuple:
    """The registrations that hold one of a forum's online places: confirmed, and not a walk-in at the door."""
    return (Registration.forum_id == forum_id, Registration.walk_in.is_(False),
            Registration.status == RegistrationStatus.CONFIRMED)


def confirmed_places(forum_id: int):  # noqa: ANN201 - a scalar subquery
    """One forum's confirmed online places, counted as ``count_places`` counts them, for a statement that
    reads them together with other things (the registration's one statement under its forum's lock)."""
    return select(func.count()).select_from(Registration).where(*holding_a_place(forum_id)).scalar_subquery()


def count_places(forums) -> dict[int, tuple[int, int]]:  # noqa: ANN001 - a list of Forum
    """{forum id: (confirmed, waiting)}; walk-ins at the door do not take a place."""
    rows = db.session.execute(_PLACES, {"forum_ids": [f.id for f in forums]}).all()
    tally: dict[int, list[int]] = {}
    for forum_id, status, number in rows:
        tally.setdefault(forum_id, [0, 0])[0 if status is RegistrationStatus.CONFIRMED else 1] = number
    return {forum_id: (confirmed, waiting) for forum_id, (confirmed, waiting) in tally.items()}


def count_attendance(forum_ids: list[int]) -> dict[int, int]:
    """{forum id: people checked in}, walk-ins included."""
    return dict(db.session.execute(
        select(Registration.forum_id, func.count())
        .where(Registration.forum_id.in_(forum_ids), Registration.attended_at.is_not(None))
        .group_by(Registration.forum_id)).all())


def count_phone_only(forum_id: int) -> int:
    """People with a place or on the waiting list who left a phone number and no email address: when the
    forum changes or is cancelled, someone has to call them."""
    return db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.forum_id == forum_id, Registration.email == "", Registration.phone != "",
        Registration.status.in_((RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)))) or 0
