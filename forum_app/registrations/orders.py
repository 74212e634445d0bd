"""What to order for a forum: interpreters per language, childcare by age band, food, access."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select

from ..core.extensions import db
from .diets import known_diets
from .models import Registration, RegistrationStatus

AGE_BANDS = ((0, 2), (3, 5), (6, 12), (13, 17))


@dataclass
class OrderSummary:
    people: int = 0
    interpreters: Counter = field(default_factory=Counter)
    childcare: dict = field(default_factory=dict)
    children: int = 0
    dietary: Counter = field(default_factory=Counter)  # diets.Diet -> people, whatever language they ticked it in
    other_food: list[str] = field(default_factory=list)  # what people wrote under "other", as written
    access: list[str] = field(default_factory=list)
    volunteers: list[Registration] = field(default_factory=list)


def order_summary(forum_id: int) -> OrderSummary:
    """Counted over confirmed registrations and walk-ins: the people who will be in the room."""
    rows = db.session.scalars(select(Registration).where(
        Registration.forum_id == forum_id, Registration.status == RegistrationStatus.CONFIRMED)
        .order_by(Registration.id)).all()
    summary = OrderSummary(people=len(rows), childcare={band: 0 for band in AGE_BANDS})
    for registration in rows:
        if registration.interpretation_language:
            summary.interpreters[registration.interpretation_language] += 1
        for age in registration.children_ages or []:
            summary.children += 1
            for band in AGE_BANDS:
                if band[0] <= age <= band[1]:
                    summary.childcare[band] += 1
        summary.dietary.update(known_diets(registration.diets))
        if registration.dietary_needs:
            summary.other_food.append(registration.dietary_needs)
        if registration.access_needs:
            summary.access.append(registration.access_needs)
        if registration.wants_coreteam:
            summary.volunteers.append(registration)
    return summary
