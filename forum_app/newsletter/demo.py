"""Demo newsletter: subscribers in several languages, one issue sent, the next one drafted."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from ..core.extensions import db
from ..core.models_base import utcnow
from ..core.timeutil import city_today
from .models import Issue, IssueStatus, Subscriber
from .services import create_issue

READERS = [("amal", "ar"), ("reza", "fa"), ("hodan", "so"), ("yonas", "ti"), ("olena", "uk"), ("karin", "sv"),
           ("john", "en"), ("nadia", "fa"), ("abdi", "so"), ("iryna", "uk")]


def load_demo_newsletter() -> None:
    if db.session.scalar(select(func.count()).select_from(Issue)):
        return
    for name, lang in READERS:
        db.session.add(Subscriber(email=f"{name}.reader@example.org", language=lang, confirmed_at=utcnow()))
    db.session.commit()
    today = city_today()
    autumn = create_issue({"sv": "Nyhetsbrev från migrantforumet", "en": "News from the migrant forum",
                           "ar": "أخبار منتدى المهاجرين", "fa": "خبرنامه فروم مهاجران", "so": "Wararka madasha muhaajiriinta",
                           "ti": "ዜና መድረኽ ስደተኛታት", "uk": "Новини форуму мігрантів"},
                          today - timedelta(days=120), today - timedelta(days=1))
    autumn.status, autumn.sent_at, autumn.send_at = IssueStatus.SENT, utcnow(), utcnow()
    create_issue({"sv": "Nästa nyhetsbrev"}, today, today + timedelta(days=90))
    db.session.commit()
