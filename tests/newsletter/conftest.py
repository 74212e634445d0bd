from __future__ import annotations

from datetime import date, timedelta

import pytest

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.newsletter.models import Issue, IssueStatus, Section, Subscriber

LANGS = ["sv", "ar", "uk", "so", "fa", "ti", "en"]


@pytest.fixture
def subscribers(app):
    def make(count: int, confirmed: bool = True) -> list[str]:
        with app.app_context():
            emails = []
            for n in range(count):
                email = f"reader{n}@example.org"
                db.session.add(Subscriber(email=email, language=LANGS[n % len(LANGS)],
                                          confirmed_at=utcnow() if confirmed else None))
                emails.append(email)
            db.session.commit()
        return emails

    return make


@pytest.fixture
def due_issue(app):
    def make() -> int:
        with app.app_context():
            issue = Issue(title={"sv": "Vårens nyhetsbrev", "ar": "نشرة الربيع", "uk": "Весняний випуск"},
                          period_start=date(2027, 1, 1), period_end=date(2027, 4, 30),
                          status=IssueStatus.SCHEDULED, send_at=utcnow() - timedelta(minutes=1))
            issue.sections.append(Section(position=0, heading={"sv": "Forum", "ar": "المنتديات"},
                                          body={"sv": "Vi höll två forum.", "ar": "عقدنا منتديين."}))
            db.session.add(issue)
            db.session.commit()
            return issue.id

    return make
