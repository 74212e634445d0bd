"""Building held forums, participants and answers for the impact tests, through the models."""

from __future__ import annotations

from datetime import timedelta

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.impact.models import Channel, Credential, FeedbackAnswer
from forum_app.planning.models import ForumStatus
from forum_app.registrations.models import Registration, RegistrationStatus
from forum_app.registrations.services import new_token

from .. import factories


def held_forum(topic=None, days: int = -2, **fields):  # noqa: ANN001, ANN003, ANN201
    """A forum that took place ``-days`` days ago and is marked held (by its status only)."""
    return factories.forum(topic, days=days, status=ForumStatus.HELD, **fields)


def participant(forum, *, present: bool = True, walk_in: bool = False, spoken: str = "ar",  # noqa: ANN001, ANN201
                interpretation: str = "", children=(), status=RegistrationStatus.CONFIRMED,
                email: str = "", language: str = "sv") -> tuple[Registration, str]:
    token, token_hash = new_token()
    registration = Registration(
        forum_id=forum.id, name="Deltagare", email=email, language=language, spoken_language=spoken,
        interpretation_language=interpretation, children_ages=list(children), status=status, walk_in=walk_in,
        token_hash=None if walk_in else token_hash, attended_at=forum.starts_at if present else None,
        consent_at=utcnow())
    db.session.add(registration)
    db.session.commit()
    return registration, token


def answers(forum, count: int, **scores) -> None:  # noqa: ANN001, ANN003
    values = {"got_to_speak": 4, "represented": 4, "come_again": 5, "credential": Credential.CODE, **scores}
    for _ in range(count):
        db.session.add(FeedbackAnswer(forum_id=forum.id, channel=Channel.VENUE,
                                      submitted_on=(utcnow() - timedelta(days=1)).date(), **values))
    db.session.commit()
