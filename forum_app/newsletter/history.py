"""How a newsletter issue's audited fields read in a history (``web/history.py``)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.extensions import db
from ..i18n.content import localize
from ..web.history import Field, describe, languages, listed, moment, names, period, text
from .models import Issue, IssueStatus


def status_words(status: IssueStatus | str) -> str:
    """An issue's status in words, on its pages and in its history."""
    return {IssueStatus.DRAFT: _("Draft"), IssueStatus.SCHEDULED: _("Scheduled"),
            IssueStatus.SENDING: _("Being sent"), IssueStatus.SENT: _("Sent")}[IssueStatus(status)]


def _issue_titles(ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(select(Issue.id, Issue.title).where(Issue.id.in_(ids))).all() if ids else []
    return {row[0]: localize(row[1]).text for row in rows}


describe("Issue", {
    "title": Field(_l("Title"), text), "period": Field(_l("Period"), period),
    "status": Field(_l("Status"), status_words),
    "send_at": Field(_l("Send at"), moment), "order": Field(_l("Order of the articles"), listed), "language": Field(_l("In the language"), languages),
})
describe("Section", {"issue_id": Field(_l("Newsletter issue"), names(_issue_titles))})
