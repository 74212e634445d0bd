"""Factories: make the objects a test needs through the same rules the app uses."""

from __future__ import annotations

from datetime import timedelta

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.planning import services
from forum_app.planning.models import Forum, ForumStatus

QUESTIONS = [{"sv": f"Fråga {n}?", "en": f"Question {n}?"} for n in (1, 2, 3)]


def topic(year: int = 2027, title: str = "Att hitta arbete", **fields):  # noqa: ANN003, ANN201
    return services.save_topic(None, year=year, questions=fields.pop("questions", QUESTIONS),
                               title={"sv": title, **fields.pop("titles", {})},
                               background=fields.pop("background", {}), origin=fields.pop("origin", "both"),
                               within_competence=fields.pop("within_competence", True),
                               district=fields.pop("district", ""))


def forum(topic_obj=None, *, days: int = 20, capacity: int = 100, status=ForumStatus.PUBLISHED,  # noqa: ANN001, ANN201
          **fields):
    topic_obj = topic_obj or topic()
    starts = (utcnow() + timedelta(days=days)).replace(microsecond=0)
    item = Forum(topic_id=topic_obj.id, hook=fields.pop("hook", {"sv": "Svårt att få jobb? Kom och berätta!",
                                                                  "ar": "هل تجد صعوبة في الحصول على عمل؟"}),
                 starts_at=starts, ends_at=starts + timedelta(hours=3), venue_name="Stadshuset",
                 venue_address="Stora torget 1", capacity=capacity, status=status,
                 interpretation_languages=fields.pop("interpretation_languages", ["ar", "ti"]), **fields)
    db.session.add(item)
    db.session.commit()
    return item
