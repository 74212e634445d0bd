"""Places taken and waiting per forum: one grouped query for any number of forums."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..extensions import db
from .models import Registration, RegistrationStatus


@dataclass(frozen=True)
class ForumCounts:
    capacity: int
    confirmed: int = 0
    waiting: int = 0

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.confirmed, 0)

    @property
    def is_full(self) -> bool:
        return self.confirmed >= self.capacity


def counts_for(forums) -> dict[int, ForumCounts]:  # noqa: ANN001 - iterable of Forum
    forums = list(forums)
    if not forums:
        return {}
    rows = db.session.execute(
        select(Registration.forum_id, Registration.status, func.count())
        .where(Registration.forum_id.in_([f.id for f in forums]), Registration.walk_in.is_(False))
        .group_by(Registration.forum_id, Registration.status)
    ).all()
    tally: dict[tuple[int, RegistrationStatus], int] = {(f, s): n for f, s, n in rows}
    return {
        f.id: ForumCounts(
            capacity=f.capacity,
            confirmed=tally.get((f.id, RegistrationStatus.CONFIRMED), 0),
            waiting=tally.get((f.id, RegistrationStatus.WAITING), 0),
        )
        for f in forums
    }
