"""The senders' per-message marks (``claims.set_claimed``): written through the database driver with SQL
compiled once, they must store every kind of value exactly as the ORM would, and touch only a row the
sender still holds."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text, update

from forum_app.core.database import begin_write
from forum_app.core.extensions import db
from forum_app.jobs import claims
from forum_app.mail.outbox import sending
from forum_app.mail.outbox.models import MailStatus, OutboxMessage


def _rows() -> dict[str, OutboxMessage]:
    db.session.rollback()
    db.session.expire_all()
    return {row.recipient: row for row in db.session.scalars(select(OutboxMessage))}


def test_a_mark_stores_what_the_orm_reads_back(app, queue, no_attempt):
    queue(["a@example.org", "b@example.org", "c@example.org"])
    moment = datetime(2027, 3, 1, 17, 45, 12, 345678, tzinfo=timezone.utc)
    with app.app_context():
        ids = sending.claim("me")
        rows = _rows()
        assert rows["a@example.org"].recipe is not None and rows["a@example.org"].message == b""  # written when sent
        with claims.mark_connection():  # a pass's held connection, twice on it
            for address in ("a@example.org", "b@example.org"):
                claims.set_claimed(OutboxMessage, rows[address].id, "me", while_status=MailStatus.SENDING,
                                   status=MailStatus.SENT, sent_at=moment, message=b"", recipe=None, last_error="",
                                   claimed_by=None, claimed_at=None)
        # and without one: a connection of its own
        claims.set_claimed(OutboxMessage, rows["c@example.org"].id, "me", while_status=MailStatus.SENDING,
                           status=MailStatus.WAITING, tries=3, last_error="451 später", message=b"kept",
                           claimed_by=None, claimed_at=None)
        rows = _rows()
        assert len(ids) == 3
        for address in ("a@example.org", "b@example.org"):
            row = rows[address]
            assert (row.status, row.sent_at, row.message, row.recipe, row.claimed_by, row.claimed_at) == (
                MailStatus.SENT, moment, b"", None, None, None)
        row = rows["c@example.org"]
        assert (row.status, row.tries, row.last_error, row.claimed_by) == (MailStatus.WAITING, 3, "451 später", None)
        assert row.message == b"kept" and row.recipe is not None


def test_a_mark_stores_the_same_as_an_orm_update(app, queue, no_attempt):
    """As the database holds it (on SQLite, dates are text compared as text by the senders' queries)."""
    queue(["driver@example.org", "orm@example.org"])
    moment = datetime(2027, 3, 1, 17, 45, 12, 345678, tzinfo=timezone.utc)
    values = {"status": MailStatus.WAITING, "next_try_at": moment, "tries": 2, "last_error": "451",
              "claimed_by": None, "claimed_at": None}
    with app.app_context():
        sending.claim("me")
        ids = {address: row.id for address, row in _rows().items()}
        db.session.rollback()
        claims.set_claimed(OutboxMessage, ids["driver@example.org"], "me", while_status=MailStatus.SENDING,
                           **values)
        begin_write()
        db.session.execute(update(OutboxMessage).where(OutboxMessage.id == ids["orm@example.org"]).values(**values))
        db.session.commit()
        stored = db.session.execute(text("SELECT recipient, status, next_try_at, tries, last_error, claimed_by, "
                                         "claimed_at FROM outbox_message")).all()
    by_recipient = {row[0]: tuple(row[1:]) for row in stored}
    assert by_recipient["driver@example.org"] == by_recipient["orm@example.org"]


def test_a_mark_leaves_a_row_the_sender_no_longer_holds(app, queue, no_attempt):
    queue(["taken@example.org", "back@example.org"])
    with app.app_context():
        sending.claim("other")
        rows = _rows()
        # Another sender holds this one: nothing changes.
        claims.set_claimed(OutboxMessage, rows["taken@example.org"].id, "me", while_status=MailStatus.SENDING,
                           status=MailStatus.SENT)
        # Given back (waiting again) while this sender thought it held it: nothing changes either.
        claims.set_claimed(OutboxMessage, rows["back@example.org"].id, "other", while_status=MailStatus.SENDING,
                           status=MailStatus.WAITING, claimed_by=None)
        claims.set_claimed(OutboxMessage, rows["back@example.org"].id, "other", while_status=MailStatus.SENDING,
                           status=MailStatus.SENT)
        rows = _rows()
        assert (rows["taken@example.org"].status, rows["taken@example.org"].claimed_by) == (MailStatus.SENDING, "other")
        assert (rows["back@example.org"].status, rows["back@example.org"].claimed_by) == (MailStatus.WAITING, None)


@contextmanager
def _sent_marks_refused(app):  # noqa: ANN001
    """The database itself refuses to mark a message sent (a trigger), as a database that went away would."""
    statements = {
        "sqlite": (["CREATE TRIGGER refuse_sent BEFORE UPDATE OF status ON outbox_message "
                    "WHEN NEW.status = 'sent' BEGIN SELECT RAISE(ABORT, 'the database went away'); END"],
                   ["DROP TRIGGER refuse_sent"]),
        "postgresql": (["CREATE FUNCTION refuse_sent() RETURNS trigger AS $$ BEGIN "
                        "RAISE EXCEPTION 'the database went away'; END $$ LANGUAGE plpgsql",
                        "CREATE TRIGGER refuse_sent BEFORE UPDATE ON outbox_message FOR EACH ROW "
                        "WHEN (NEW.status = 'sent') EXECUTE FUNCTION refuse_sent()"],
                       ["DROP TRIGGER refuse_sent ON outbox_message", "DROP FUNCTION refuse_sent()"]),
    }
    with app.app_context():
        create, drop = statements[db.engine.dialect.name]
        with db.engine.begin() as connection:
            for statement in create:
                connection.execute(text(statement))
    try:
        yield
    finally:
        with app.app_context(), db.engine.begin() as connection:
            for statement in drop:
                connection.execute(text(statement))


def test_a_mark_that_fails_is_not_blamed_on_the_next_message(app, queue, no_attempt, smtp):
    """The mark of one message is written while the server answers the next one's first command; when that
    write fails, the pass stops there: the next message is not sent, and not marked failed either; it and the
    rest wait for the next pass, and the one whose mark failed is left for the lease."""
    from forum_app.mail import transport

    queue(["first@example.org", "second@example.org", "third@example.org"])
    with _sent_marks_refused(app), app.app_context(), pytest.raises(transport.WorkWhileServerAnswersFailed) as raised:
        sending.send_due()
    assert "the database went away" in str(raised.value.__cause__)
    assert [m["To"] for m in smtp.messages] == ["first@example.org"]  # the second's DATA never went out
    with app.app_context():
        rows = _rows()
    assert {address: row.status for address, row in rows.items()} == {
        "first@example.org": MailStatus.SENDING,  # accepted, its mark failed: left for the lease
        "second@example.org": MailStatus.WAITING, "third@example.org": MailStatus.WAITING}  # none failed
    assert {row.tries for row in rows.values()} == {0}
