"""How a request's transactions begin and take their locks (``forum_app.core.database``): a lock taken after
reading reads everything afresh; on PostgreSQL a transaction that has only read goes on into the lock
(one transaction, one connection, for a registration), one that wrote begins again, as before; and a
registration's answer page is written from what its commit saved, without reading it back."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import event, func, select, text, update

from forum_app.core import throttle
from forum_app.core.database import Busy, advisory_lock_id, atomic, begin_read, exclusive, rule
from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.core.throttle import RateEvent
from forum_app.planning.models import Forum

from . import factories
from .conftest import csrf_token_from, submit


def _change_venue_elsewhere(forum_id: int, venue: str) -> None:
    """Another connection changes the forum and commits, as another request would."""
    with db.engine.begin() as other:
        other.execute(update(Forum).where(Forum.id == forum_id).values(venue_name=venue))


def test_a_lock_taken_after_reading_reads_everything_afresh(app_ctx):
    forum = factories.forum()
    begin_read()
    assert forum.venue_name == "Stadshuset"
    _change_venue_elsewhere(forum.id, "Nya salen")
    exclusive("test")
    assert forum.venue_name == "Nya salen"
    db.session.rollback()


def _venue(forum_id: int) -> str:
    with db.engine.connect() as other:  # what another request reads: only what was committed
        return other.scalar(select(Forum.venue_name).where(Forum.id == forum_id))


def test_a_rule_commits_when_its_block_ends_and_keeps_nothing_when_it_raises(app_ctx):
    forum_id = factories.forum().id
    with rule("forum", forum_id):
        db.session.get(Forum, forum_id).venue_name = "Nya salen"
        assert _venue(forum_id) == "Stadshuset"  # not before the block ends
    assert _venue(forum_id) == "Nya salen"
    with pytest.raises(ValueError), rule("forum", forum_id):
        db.session.get(Forum, forum_id).venue_name = "Halvsparat"
        db.session.flush()
        raise ValueError("a rule refuses")
    assert _venue(forum_id) == "Nya salen" and db.session.get(Forum, forum_id).venue_name == "Nya salen"


def test_an_inner_block_joins_the_outer_one_which_alone_commits(app_ctx):
    forum_id = factories.forum().id

    @atomic()
    def rename(name: str) -> None:
        db.session.get(Forum, forum_id).venue_name = name

    rename("Ensam")  # on its own, the function's block commits
    assert _venue(forum_id) == "Ensam"
    with pytest.raises(RuntimeError), atomic():
        rename("Inuti")
        with rule("forum", forum_id):  # inside a block: the lock joins the transaction begun
            pass
        assert _venue(forum_id) == "Ensam"  # the inner blocks committed nothing
        raise RuntimeError("the outer block fails after the inner ones ended")
    assert _venue(forum_id) == "Ensam"


@pytest.mark.postgresql_only
def test_on_postgresql_a_rule_held_elsewhere_answers_busy_in_time(app_ctx):
    """The lock's timeout is set in the statement that asks for the lock: it holds for that very wait."""
    forum_id = factories.forum().id
    with db.engine.connect() as other:
        other.execute(text("SELECT pg_advisory_lock(:k)"), {"k": advisory_lock_id(f"forum:{forum_id}")})
        with pytest.raises(Busy), rule("forum", forum_id, wait_seconds=1):
            db.session.get(Forum, forum_id).venue_name = "Aldrig"
        other.execute(text("SELECT pg_advisory_unlock_all()"))
    assert _venue(forum_id) == "Stadshuset"


@pytest.mark.postgresql_only
def test_on_postgresql_a_transaction_that_only_read_goes_on_into_the_lock(app_ctx):
    forum_id = factories.forum().id
    begin_read()
    began = db.session.scalar(select(func.now()))  # PostgreSQL's now() is when the transaction began
    backend = db.session.scalar(select(func.pg_backend_pid()))
    time.sleep(0.01)
    exclusive("test")
    assert db.session.scalar(select(func.now())) == began  # the same transaction
    assert db.session.scalar(select(func.pg_backend_pid())) == backend
    db.session.rollback()
    # One that wrote (here: flushed a change) begins again, and what it wrote is gone, as it always was.
    begin_read()
    began = db.session.scalar(select(func.now()))
    db.session.get(Forum, forum_id).venue_name = "Skrivet"
    db.session.flush()
    time.sleep(0.01)
    exclusive("test")
    assert db.session.scalar(select(func.now())) > began
    assert db.session.get(Forum, forum_id).venue_name == "Stadshuset"
    db.session.rollback()
    # A transaction that already holds a lock taken here does not take a second one in the same breath.
    begin_read()
    exclusive("first")
    began = db.session.scalar(select(func.now()))
    time.sleep(0.01)
    exclusive("second")
    assert db.session.scalar(select(func.now())) > began
    db.session.rollback()


def test_the_answer_to_a_registration_is_written_without_reading_it_back(app, client, backend):
    app.config["MAIL_AFTER_COMMIT"] = "off"
    with app.app_context():
        forum_id = factories.forum().id
        engine = db.engine
    form = {"name": "Amal Haddad", "spoken_language": "ar", "consent": "y"}
    page = f"/sv/forums/{forum_id}/register"
    submit(client, page, {**form, "email": "first@example.org"})
    statements: list[str] = []

    def record(conn, cursor, statement, *args) -> None:  # noqa: ANN001, ANN002
        statements.append(statement.lstrip().split(None, 1)[0].upper())

    token = csrf_token_from(client.get(page).get_data(as_text=True))  # the form, before counting
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.post(page, data={**form, "email": "second@example.org", "csrf_token": token})
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200 and "second@example.org" in response.get_data(as_text=True)
    # Nothing is read after the commit: the registration's last write is the last statement (on SQLite the
    # answer page's read-only transaction is begun, and finds nothing to read).
    last_write = max(i for i, statement in enumerate(statements) if statement == "INSERT")
    assert set(statements[last_write + 1:]) <= {"BEGIN"}, statements
    # The rate limit's count and mark (on PostgreSQL with its lock), then under the forum's lock one read
    # (forum, places, the address's registration and its emails today) and the inserts: on SQLite the email's
    # count and the registration in one flush, then its confirmation's recipe; PostgreSQL takes the lock with
    # its timeout set in the same statement, and its read records the email's count itself (WITH ... INSERT).
    expected = {"sqlite": ["SELECT", "INSERT", "SELECT", "INSERT", "INSERT", "INSERT"],
                "postgresql": ["SELECT", "SELECT", "INSERT", "SELECT", "WITH", "INSERT", "INSERT"]}
    assert [s for s in statements if s not in ("BEGIN", "COMMIT", "ROLLBACK")] == expected[backend], statements
    with app.app_context():  # each of the two addresses has its one email counted, however it was written
        assert sorted(db.session.scalars(select(RateEvent.key).where(RateEvent.key.startswith("mail:")))) == [
            "mail:registration:first@example.org", "mail:registration:second@example.org"]


def test_old_rate_events_are_pruned_as_new_ones_arrive(app_ctx):
    throttle.forget_last_prune()  # no prune yet in this process
    db.session.add(RateEvent(key="old", at=utcnow() - timedelta(days=2)))
    db.session.commit()
    throttle.hit(["new"])
    db.session.commit()
    assert db.session.scalars(select(RateEvent.key)).all() == ["new"]
    db.session.add(RateEvent(key="old", at=utcnow() - timedelta(days=2)))
    throttle.hit(["newer"])  # within the minute: left for the next prune, and it does not count anyway
    db.session.commit()
    assert sorted(db.session.scalars(select(RateEvent.key))) == ["new", "newer", "old"]
    assert throttle.count("old", throttle.DAY) == 0


def test_an_email_counted_in_one_read_is_recorded_exactly_when_it_is_allowed(app_ctx, backend):
    """``throttle.email_count``: the count read in the caller's one statement, and on PostgreSQL the record of
    the email in that same statement, only while under the limit; then ``email_allowed`` decides the same."""
    limit = current_app.config["EMAILS_PER_ADDRESS_PER_DAY"]
    throttle.forget_last_prune()
    db.session.add(RateEvent(key="mail:registration:old@example.org", at=utcnow() - timedelta(days=2)))
    db.session.commit()
    answers = []
    for _n in range(limit + 2):
        count = throttle.email_count("registration", "Person+tag@example.org")
        assert count.recorded == (backend == "postgresql")
        counted = db.session.scalar(count.read_by(select(count.today)))
        answers.append((counted, throttle.email_allowed("registration", "person@example.org", counted=counted,
                                                        recorded=count.recorded)))
        db.session.commit()
    # The count does not see the statement's own record, as email_allowed's own count before it records.
    assert answers == [(n, True) for n in range(limit)] + [(limit, False), (limit, False)]
    keys = db.session.scalars(select(RateEvent.key)).all()
    assert keys.count("mail:registration:person@example.org") == limit
    # The read pruned what no longer counts in any window, as a hit does once a minute.
    assert "mail:registration:old@example.org" not in keys


@pytest.mark.postgresql_only
def test_on_postgresql_a_read_that_records_an_email_is_a_write_that_no_lock_carries_on(app_ctx):
    """A transaction that read with ``EmailCount.read_by`` has written: a lock taken after it begins again
    (``exclusive``), as after any write, instead of carrying it on as a transaction that only read."""
    begin_read()
    began = db.session.scalar(select(func.now()))
    count = throttle.email_count("registration", "person@example.org")
    db.session.execute(count.read_by(select(count.today)))
    time.sleep(0.01)
    exclusive("test")
    assert db.session.scalar(select(func.now())) > began
    assert db.session.scalar(select(func.count()).select_from(RateEvent)) == 0  # its record went with it
    db.session.rollback()


def test_a_refused_registration_counts_no_email_and_a_known_address_counts_each_offer(app, backend):
    """The email's count is recorded with the email it allows, or not at all: a registration refused under
    its forum's lock (the forum filled while the person checked their answers; registration closed) records
    none, and the owner of a known address is counted once for each offer of a new link."""
    from forum_app.registrations import services

    person = {"name": "Amal Haddad", "language": "sv", "spoken_language": "ar"}
    with app.test_request_context():
        full = factories.forum(capacity=1).id
        closed = factories.forum(registration_closes_at=utcnow() - timedelta(hours=1)).id
        services.register(full, {**person, "email": "first@example.org"})
        with pytest.raises(services.OutlookChanged):
            services.register(full, {**person, "email": "second@example.org"}, promised=services.Outlook.PLACE)
        with pytest.raises(services.RegistrationClosed):
            services.register(closed, {**person, "email": "third@example.org"})
        services.register(full, {**person, "email": "first@example.org"})  # known: an offer of a new link
        assert sorted(db.session.scalars(select(RateEvent.key))) == ["mail:registration:first@example.org"] * 2
