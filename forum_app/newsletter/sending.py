"""Sending an issue to every confirmed subscriber exactly once.

How it holds under crashes, restarts and several senders:

1. ``prepare`` adds one delivery row per issue and confirmed subscriber (a unique key makes it
   idempotent), so the list of whom to send to lives in the database, not in a process.
2. A sender *claims* a batch under the issue's write lock (``database.exclusive``): only it owns
   those rows. Two schedulers at once simply take different batches.
3. Each message is marked ``sent`` in its own small transaction once the SMTP server has accepted
   it: while the server answers the next message's first command, before that message's ``DATA``
   (``transport.SMTPConnection.send_raw``), so the write costs no time of its own and at most one accepted
   message is ever unmarked.
4. Rows left ``claimed`` by a sender that died are given back: at once when that process is known
   to be gone (same host, pid not alive), otherwise when the lease runs out (``claims.py``, shared
   with the mail outbox, which sends every other email the same way).

5. A planned stop (SIGTERM from ``systemctl stop`` or ``restart``, Ctrl+C: ``claims.stopping``) ends
   the pass between two messages: the message on the wire is finished and marked, the rest of the
   batch goes back to the queue at once, and nothing is sent twice.

The one message in flight at the instant of a hard crash (``kill -9``, power loss), after the SMTP
server accepted it but before ``sent`` was written, is sent again on resume: no subscriber is ever
skipped, and at most that single message can arrive twice. SMTP offers no way to close that last gap.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import Integer, String, Text, and_, exists, func, insert, literal, or_, select, update

from ..core import signed_links
from ..core.database import begin_write, exclusive
from ..core.extensions import db
from ..core.models_base import utcnow
from ..i18n.content import localize
from ..jobs import claims
from ..mail import compose, transport
from ..web.links import external_url
from .models import Delivery, DeliveryStatus, Issue, IssueStatus, Subscriber

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BACKOFF_SECONDS = (60, 300, 1500, 7200)
UNSUBSCRIBE_PLACEHOLDER = "__UNSUBSCRIBE_URL__"


def reclaim_abandoned() -> int:
    """Give rows of dead senders back to the queue."""
    return claims.release_abandoned(Delivery, claimed=DeliveryStatus.CLAIMED, free=DeliveryStatus.PENDING)


def due_issues() -> list[Issue]:
    return list(db.session.scalars(select(Issue).where(or_(
        and_(Issue.status == IssueStatus.SCHEDULED, Issue.send_at <= utcnow()),
        Issue.status == IssueStatus.SENDING)).order_by(Issue.send_at)))


def prepare(issue_id: int) -> None:
    """One delivery row per confirmed subscriber who has none yet for this issue."""
    exclusive(f"newsletter:{issue_id}")
    already = exists().where(Delivery.issue_id == issue_id, Delivery.subscriber_id == Subscriber.id)
    db.session.execute(insert(Delivery).from_select(
        ["issue_id", "subscriber_id", "status", "attempts", "error"],
        select(literal(issue_id, Integer), Subscriber.id, literal(DeliveryStatus.PENDING.value, String),
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
        Delivery.issue_id == issue_id, Delivery.status == DeliveryStatus.PENDING,
        or_(Delivery.next_attempt_at.is_(None), Delivery.next_attempt_at <= now))
        .order_by(Delivery.id).limit(size)))
    if ids:
        db.session.execute(update(Delivery).where(Delivery.id.in_(ids))
                           .values(status=DeliveryStatus.CLAIMED, claimed_by=sender, claimed_at=now))
    db.session.commit()
    return ids


def _set(row_id: int, sender: str, **values) -> None:  # noqa: ANN003
    claims.set_claimed(Delivery, row_id, sender, **values)


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


@dataclass(frozen=True)
class Recipient:
    delivery_id: int
    attempts: int
    id: int
    email: str
    language: str
    link_key: str | None


def _retry_later(recipient: Recipient, sender: str, error: Exception) -> None:
    attempts = recipient.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        _set(recipient.delivery_id, sender, status=DeliveryStatus.FAILED, attempts=attempts,
             error=transport.describe(error))
        return
    wait = BACKOFF_SECONDS[min(attempts - 1, len(BACKOFF_SECONDS) - 1)]
    _set(recipient.delivery_id, sender, status=DeliveryStatus.PENDING, attempts=attempts, claimed_by=None,
         claimed_at=None, next_attempt_at=utcnow() + timedelta(seconds=wait), error=transport.describe(error))


def send_batch(renderer: IssueRenderer, ids: list[int], sender: str, line: transport.PassConnection) -> int:
    """Send one claimed batch over the pass's connection; returns how many were sent. When there is no
    connection, or it breaks, what was not accepted goes back to the queue for later and ``line`` is
    marked broken (the pass ends). Asked to stop (``claims.stopping``), it finishes and marks the message
    on the wire and gives the rest back."""
    remaining = [Recipient(*row) for row in db.session.execute(
        select(Delivery.id, Delivery.attempts, Subscriber.id, Subscriber.email, Subscriber.language,
               Subscriber.link_key)
        .join(Subscriber, Subscriber.id == Delivery.subscriber_id).where(Delivery.id.in_(ids))
        .order_by(Delivery.id)).all()]
    db.session.commit()
    sent = 0
    mark = None  # the mark of the message accepted last, written while the server answers the next one
    try:
        connection = line.get()
        while remaining:
            if claims.stopping():
                claims.give_back(Delivery, [r.delivery_id for r in remaining], sender, claimed=DeliveryStatus.CLAIMED,
                                 free=DeliveryStatus.PENDING)
                break
            recipient = remaining[0]
            message = renderer.message(recipient)
            previous, mark = mark, None
            try:
                connection.send_raw(compose.as_smtp_bytes(message), str(message["To"]), while_server_answers=previous)
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
                if transport.is_temporary(error):
                    _retry_later(recipient, sender, error)
                else:
                    _set(recipient.delivery_id, sender, status=DeliveryStatus.FAILED, error=transport.describe(error))
            except transport.AddressNotSupported as error:  # this address, not the connection: it fails alone
                _set(recipient.delivery_id, sender, status=DeliveryStatus.FAILED, error=transport.describe(error))
            else:
                mark = partial(_set, recipient.delivery_id, sender, status=DeliveryStatus.SENT, sent_at=utcnow(),
                               error="")
                sent += 1
            remaining.pop(0)
    except (smtplib.SMTPException, OSError) as error:
        # No connection, or it broke: what was not accepted goes back to the queue for later.
        log.warning("newsletter batch stopped: %s", error)
        for recipient in remaining:
            _retry_later(recipient, sender, error)
        line.broken = True
    finally:
        if mark is not None:
            mark()
    return sent


def finish_if_done(issue_id: int) -> bool:
    begin_write()
    open_rows = db.session.scalar(select(func.count()).select_from(Delivery).where(
        Delivery.issue_id == issue_id, Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.CLAIMED])))
    if open_rows:
        return False
    db.session.execute(update(Issue).where(Issue.id == issue_id, Issue.status == IssueStatus.SENDING)
                       .values(status=IssueStatus.SENT, sent_at=utcnow()))
    db.session.commit()
    return True


def send_due(max_batches: int | None = None) -> int:
    """One pass of the sending job: every due issue, batch after batch over one connection, until nothing
    is left to claim or the connection fails (the next pass tries again)."""
    sender = claims.worker_id()
    reclaim_abandoned()
    sent = batches = 0
    with transport.PassConnection() as line, claims.mark_connection():
        for issue_id in [issue.id for issue in due_issues()]:
            if claims.stopping():
                break
            prepare(issue_id)
            issue = db.session.get(Issue, issue_id)
            # Detached, with its sections loaded: the per-message commits then have nothing to expire.
            db.session.expunge_all()
            renderer = IssueRenderer(issue)
            while (max_batches is None or batches < max_batches) and not line.broken and not claims.stopping():
                ids = claim_batch(issue_id, sender)
                if not ids:
                    break
                sent += send_batch(renderer, ids, sender, line)
                batches += 1
            finish_if_done(issue_id)
            if line.broken:
                break
    return sent


def counts(issue_id: int) -> dict[str, int]:
    rows = dict(db.session.execute(select(Delivery.status, func.count()).where(Delivery.issue_id == issue_id)
                                   .group_by(Delivery.status)).all())
    return {"sent": rows.get(DeliveryStatus.SENT, 0), "failed": rows.get(DeliveryStatus.FAILED, 0),
            "waiting": rows.get(DeliveryStatus.PENDING, 0) + rows.get(DeliveryStatus.CLAIMED, 0)}
