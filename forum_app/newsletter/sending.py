"""Sending an issue to every confirmed subscriber exactly once, through the one sender (``mail.sender``).

1. ``prepare`` adds one delivery row per issue and confirmed subscriber (a unique key makes it
   idempotent), so the list of whom to send to lives in the database, not in a process.
2. A sender *claims* a batch under the issue's write lock (``database.exclusive``): only it owns
   those rows. Two schedulers at once simply take different batches.
3. The one sender writes each message as it goes (the issue is rendered once per language; only the
   unsubscribe link differs), sends it, marks it, retries it and gives back a dead sender's rows exactly
   as it does the outbox's: ``mail.sender`` tells how, and why at most the one message in flight at a hard
   crash can arrive twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import Integer, String, Text, and_, delete, exists, func, insert, literal, or_, select, update

from ..core import signed_links
from ..core.database import begin_write, exclusive
from ..core.extensions import db
from ..core.models_base import utcnow
from ..i18n.content import localize
from ..jobs import claims
from ..mail import compose
from ..mail import sender as one_sender
from ..web.links import external_url
from .models import Delivery, DeliveryStatus, Issue, IssueStatus, Subscriber

log = logging.getLogger(__name__)

UNSUBSCRIBE_PLACEHOLDER = "__UNSUBSCRIBE_URL__"


def reclaim_abandoned() -> int:
    """Give rows of dead senders back to the queue."""
    return claims.release_abandoned(Delivery, claimed=DeliveryStatus.SENDING, free=DeliveryStatus.WAITING)


def due_issues() -> list[Issue]:
    return list(db.session.scalars(select(Issue).where(or_(
        and_(Issue.status == IssueStatus.SCHEDULED, Issue.send_at <= utcnow()),
        Issue.status == IssueStatus.SENDING)).order_by(Issue.send_at)))


def prepare(issue_id: int) -> None:
    """One delivery row per confirmed subscriber who has none yet for this issue."""
    exclusive(f"newsletter:{issue_id}")
    already = exists().where(Delivery.issue_id == issue_id, Delivery.subscriber_id == Subscriber.id)
    db.session.execute(insert(Delivery.__table__).from_select(
        ["issue_id", "subscriber_id", "status", "attempts", "error"],
        select(literal(issue_id, Integer), Subscriber.id, literal(DeliveryStatus.WAITING.value, String),
               literal(0, Integer), literal("", Text))
        .where(Subscriber.confirmed_at.is_not(None), ~already)))
    db.session.execute(update(Issue).where(Issue.id == issue_id, Issue.status == IssueStatus.SCHEDULED)
                       .values(status=IssueStatus.SENDING))
    db.session.commit()


def claim_batch(issue_id: int, sender: str, size: int | None = None) -> list[int]:
    size = size or current_app.config["NEWSLETTER_BATCH_SIZE"]
    exclusive(f"newsletter:{issue_id}")
    now = utcnow()
    ids = list(db.session.scalars(select(Delivery.id).where(
        Delivery.issue_id == issue_id, Delivery.status == DeliveryStatus.WAITING,
        or_(Delivery.next_try_at.is_(None), Delivery.next_try_at <= now))
        .order_by(Delivery.id).limit(size)))
    if ids:
        db.session.execute(update(Delivery).where(Delivery.id.in_(ids))
                           .values(status=DeliveryStatus.SENDING, claimed_by=sender, claimed_at=now))
    db.session.commit()
    return ids


class IssueRenderer:
    """Renders an issue once per language; only the unsubscribe link differs per subscriber."""

    def __init__(self, issue: Issue) -> None:
        self.issue = issue
        self.cache: dict[str, tuple[str, str, str]] = {}

    def parts(self, lang: str) -> tuple[str, str, str]:
        if lang not in self.cache:
            with force_locale(lang):
                subject = localize(self.issue.title, lang).text
            text, html = compose.render_parts("newsletter/email/issue", lang, {
                "issue": self.issue, "unsubscribe_url": UNSUBSCRIBE_PLACEHOLDER,
                "web_url": external_url("newsletter.issue", lang=lang, issue_id=self.issue.id)})
            self.cache[lang] = (subject, text, html)
        return self.cache[lang]

    def message(self, subscriber, to: str | None = None):  # noqa: ANN001, ANN201 - anything with id, email, language
        subject, text, html = self.parts(subscriber.language)
        url = unsubscribe_url(subscriber)
        return compose.compose(to=to or subscriber.email, subject=subject, lang=subscriber.language,
                            text=text.replace(UNSUBSCRIBE_PLACEHOLDER, url),
                            html=html.replace(UNSUBSCRIBE_PLACEHOLDER, url),
                            headers=compose.list_headers("newsletter", url))


def unsubscribe_url(subscriber) -> str:  # noqa: ANN001
    return external_url("newsletter.unsubscribe", lang=subscriber.language,
                        token=signed_links.for_row("newsletter-unsubscribe", subscriber))


class IssueSource:
    """An issue's deliveries for the one sender: each written from the issue rendered once per language."""

    def __init__(self, renderer: IssueRenderer) -> None:
        self.renderer = renderer

    def write(self, ids: list[int], sender: str) -> list[one_sender.Item]:
        rows = db.session.execute(
            select(Delivery.id, Delivery.tries, Subscriber.id.label("subscriber_id"), Subscriber.email,
                   Subscriber.language, Subscriber.link_key)
            .join(Subscriber, Subscriber.id == Delivery.subscriber_id)
            .where(Delivery.id.in_(ids), Delivery.claimed_by == sender, Delivery.status == DeliveryStatus.SENDING)
            .order_by(Delivery.id)).all()
        db.session.rollback()
        items = []
        for row in rows:
            item = one_sender.Item(row.id, row.tries, one_sender.EMAIL, row.email)
            try:
                reader = _Reader(row.subscriber_id, row.email, row.language, row.link_key)
                item.payload = compose.as_smtp_bytes(self.renderer.message(reader))
            except Exception as error:  # noqa: BLE001 - this one cannot be written; the others go on
                log.exception("newsletter delivery %s cannot be written", row.id)
                item.error = error
            items.append(item)
        return items

    @staticmethod
    def _set(item: one_sender.Item, sender: str, **values) -> None:  # noqa: ANN003
        # claimed_by stays on a sent row: it tells which sender process sent it.
        claims.set_claimed(Delivery, item.id, sender, **values)

    def sent(self, item: one_sender.Item, sender: str) -> None:
        self._set(item, sender, status=DeliveryStatus.SENT, sent_at=utcnow(), last_error="")

    def retry_later(self, item: one_sender.Item, sender: str, tries: int, error: str, wait: timedelta) -> None:
        # Written afresh next time: an issue's text is fixed once it is sending, and so is its Message-ID's
        # purpose (one issue, one subscriber), so nothing needs keeping.
        self._set(item, sender, status=DeliveryStatus.WAITING, tries=tries, claimed_by=None, claimed_at=None,
                  next_try_at=utcnow() + wait, last_error=error[:500])

    def failed(self, item: one_sender.Item, sender: str, tries: int, error: str) -> None:
        self._set(item, sender, status=DeliveryStatus.FAILED, tries=tries, last_error=error[:500])

    def dropped(self, item: one_sender.Item, sender: str) -> None:
        begin_write()  # never happens today: a writer of an issue always writes
        db.session.execute(delete(Delivery).where(Delivery.id == item.id, Delivery.claimed_by == sender))
        db.session.commit()

    def give_back(self, ids: list[int], sender: str) -> None:
        claims.give_back(Delivery, ids, sender, claimed=DeliveryStatus.SENDING, free=DeliveryStatus.WAITING)


class _Reader:
    """Who a message is for: what ``IssueRenderer.message`` needs of a subscriber."""

    def __init__(self, id: int, email: str, language: str, link_key: str | None) -> None:  # noqa: A002
        self.id, self.email, self.language, self.link_key = id, email, language, link_key


def finish_if_done(issue_id: int) -> bool:
    begin_write()
    open_rows = db.session.scalar(select(func.count()).select_from(Delivery).where(
        Delivery.issue_id == issue_id, Delivery.status.in_([DeliveryStatus.WAITING, DeliveryStatus.SENDING])))
    if open_rows:
        return False
    db.session.execute(update(Issue).where(Issue.id == issue_id, Issue.status == IssueStatus.SENDING)
                       .values(status=IssueStatus.SENT, sent_at=utcnow()))
    db.session.commit()
    return True


def send_due(max_batches: int | None = None) -> int:
    """One pass of the sending job: every due issue, batch after batch, until nothing is left to claim or
    the line fails (the next pass tries again). Returns how many were sent."""
    sender = claims.worker_id()
    reclaim_abandoned()
    result = one_sender.PassResult()
    batches = 0
    with one_sender.Lines() as lines, claims.mark_connection():
        for issue_id in [issue.id for issue in due_issues()]:
            if claims.stopping():
                break
            prepare(issue_id)
            issue = db.session.get(Issue, issue_id)
            # Detached, with its sections loaded: the per-message commits then have nothing to expire.
            db.session.expunge_all()
            source = IssueSource(IssueRenderer(issue))
            while (max_batches is None or batches < max_batches) and not lines.broken and not claims.stopping():
                ids = claim_batch(issue_id, sender)
                if not ids:
                    break
                one_sender.send_batch(source, ids, sender, lines, result)
                batches += 1
            finish_if_done(issue_id)
            if lines.broken:
                break
    return result.sent


def counts(issue_id: int) -> dict[str, int]:
    rows = dict(db.session.execute(select(Delivery.status, func.count()).where(Delivery.issue_id == issue_id)
                                   .group_by(Delivery.status)).all())
    return {"sent": rows.get(DeliveryStatus.SENT, 0), "failed": rows.get(DeliveryStatus.FAILED, 0),
            "waiting": rows.get(DeliveryStatus.WAITING, 0) + rows.get(DeliveryStatus.SENDING, 0)}
