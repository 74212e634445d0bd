"""Reads of the newsletter that other parts of the site need."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..core.extensions import db
from .models import Issue, IssueStatus


def sitemap_issues() -> list[tuple[int, datetime]]:
    """Every sent issue's id and when it was sent, for the sitemap."""
    return list(db.session.execute(select(Issue.id, Issue.sent_at).where(Issue.status == IssueStatus.SENT)
                                   .order_by(Issue.id)).all())
