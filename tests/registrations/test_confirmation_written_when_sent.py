"""The confirmation is queued as a recipe and written by the sender after the resident has had the answer
(``outbox.recipes``, ``mail.sender``): the request writes no email; the message that goes says what the
resident was told, about the forum as it is when it goes; a registration gone or cancelled meanwhile gets
nothing; a recipe that cannot be written fails alone; a row claimed by one sender is written by it alone."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from forum_app.core.extensions import db
from forum_app.core.tokens import unseal
from forum_app.mail import compose
from forum_app.mail.outbox import recipes, sending
from forum_app.mail.outbox import services as outbox_services
from forum_app.mail.outbox.models import MailStatus, OutboxMessage
from forum_app.registrations import services
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories
from ..conftest import submit
from ..notes import note

# Kinds of messages whose writing a test decides (``WRITE[case]``), registered as any domain registers its own.
WRITE: dict = {}


@recipes.writer("test.case")
def _write_case(recipe: dict):  # noqa: ANN202
    return WRITE[recipe["case"]](recipe)

FORM = {"name": "Amal Haddad", "spoken_language": "ar", "consent": "y"}


@pytest.fixture
def forum_id(app) -> int:
    with app.app_context():
        return factories.forum(capacity=1).id


def _register(client, forum_id: int, email: str, lang: str = "sv") -> str:  # noqa: ANN001
    """Registers through the form (with the sender off); returns the private link's token, which only the
    confirmation waiting in the outbox carries (the answer page never shows it to someone with an address)."""
    page = submit(client, f"/{lang}/forums/{forum_id}/register", {**FORM, "email": email})
    assert page.status_code == 200, page.get_data(as_text=True)
    assert "/registration/" not in page.get_data(as_text=True)
    with client.application.app_context():
        [recipe] = [row.recipe for row in db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient == email)) if row.recipe and row.recipe.get("sealed")]
        token = unseal(recipe["sealed"])  # the row holds it sealed only (issue 32, L9)
        assert token and token not in str(recipe)
        return token


def _rows() -> dict[str, OutboxMessage]:
    db.session.rollback()
    db.session.expire_all()
    return {row.recipient: row for row in db.session.scalars(select(OutboxMessage))}


def _text(message) -> str:  # noqa: ANN001
    return message["Subject"] + "\n" + message.get_body(("plain",)).get_content()


def test_the_request_writes_no_email_and_the_sender_writes_it(app, client, smtp, forum_id, monkeypatch):
    app.config["MAIL_AFTER_COMMIT"] = "off"
    built = []
    original = compose.build_message
    monkeypatch.setattr(compose, "build_message", lambda *a, **k: built.append(1) or original(*a, **k))
    token = _register(client, forum_id, "amal@example.org")
    assert built == []  # no template, calendar file or MIME in the request
    with app.app_context():
        row = _rows()["amal@example.org"]
        assert (row.message, row.status, row.subject) == (b"", MailStatus.WAITING,
                                                          "Du är anmäld: Svårt att få jobb? Kom och berätta!")
        registration = db.session.scalar(select(Registration))
        sealed = row.recipe["sealed"]
        assert unseal(sealed) == token and token not in sealed
        assert row.recipe == {"kind": "registration.confirmation", "registration": registration.id, "sealed": sealed,
                              "status": "confirmed", "created": registration.created_at.isoformat()}
        result = sending.send_due()
        assert result.sent == 1 and built == [1]
        row = _rows()["amal@example.org"]
        assert (row.status, row.recipe, row.message) == (MailStatus.SENT, None, b"")  # nothing of it kept
    [message] = smtp.to("amal@example.org")
    assert "anmäld" in _text(message) and f"/sv/registration/{token}" in _text(message)
    assert [part.get_content_type() for part in message.iter_attachments()] == ["text/calendar"]


def test_the_message_says_what_the_resident_was_told_about_the_forum_as_it_is_now(app, client, smtp, forum_id):
    app.config["MAIL_AFTER_COMMIT"] = "off"
    _register(client, forum_id, "first@example.org")
    _register(client, forum_id, "second@example.org", lang="en")  # the forum is full: the waiting list
    with app.app_context():
        forum = db.session.get(factories.Forum, forum_id)
        forum.venue_name, forum.capacity = "Nya salen", 2
        db.session.commit()
        [promoted] = services.fill_free_places(forum_id)  # a place comes free before the confirmation goes
        assert promoted.email == "second@example.org"
        sending.send_due()
    [first] = smtp.to("first@example.org")
    assert "Nya salen" in _text(first)
    confirmation, promotion = sorted(smtp.to("second@example.org"), key=lambda m: "waiting list" not in m["Subject"])
    assert confirmation["Subject"].startswith("You are on the waiting list: ")
    assert [part.get_content_type() for part in confirmation.iter_attachments()] == []
    assert promotion["Subject"].startswith("A place is free for you: ")


def test_nothing_goes_for_a_registration_cancelled_or_deleted_before_its_confirmation(app, client, smtp):
    app.config["MAIL_AFTER_COMMIT"] = "off"
    with app.app_context():
        forum_id = factories.forum(capacity=10).id
    for address in ("cancels@example.org", "deletes@example.org", "stays@example.org"):
        _register(client, forum_id, address)
    with app.app_context():
        by_email = {r.email: r.id for r in db.session.scalars(select(Registration))}
        services.cancel(by_email["cancels@example.org"])
        services.delete_personal_data(by_email["deletes@example.org"])
        result = sending.send_due()
        assert (result.sent, result.dropped) == (2, 2)  # the two confirmations are dropped, not failed
        assert sorted(_rows()) == ["cancels@example.org", "stays@example.org"]
    assert sorted((m["To"], m["Subject"].split(":")[0]) for m in smtp.messages) == [
        ("cancels@example.org", "Din anmälan är avbokad"),  # the cancellation's own confirmation, not the first
        ("stays@example.org", "Du är anmäld")]


def test_a_second_registration_with_the_address_leaves_the_link_as_it_was(app, client, smtp, forum_id):
    app.config["MAIL_AFTER_COMMIT"] = "off"
    first_token = _register(client, forum_id, "amal@example.org")
    page = submit(client, f"/sv/forums/{forum_id}/register", {**FORM, "email": "amal@example.org"})
    assert page.status_code == 200 and "/registration/" not in page.get_data(as_text=True)
    with app.app_context():
        sending.send_due()
        registration = db.session.scalar(select(Registration))
        assert registration.status is RegistrationStatus.CONFIRMED
    confirmation, offer = sorted(smtp.to("amal@example.org"), key=lambda m: "anmäld" not in m["Subject"])
    assert confirmation["Subject"].startswith("Du är anmäld: ")
    assert f"/sv/registration/{first_token}" in _text(confirmation)  # the link the owner has still works
    assert first_token not in _text(offer) and "/sv/registration/new-link/" in _text(offer)
    assert client.get(f"/sv/registration/{first_token}").status_code == 200


def test_a_recipe_that_cannot_be_written_fails_alone_and_is_written_when_tried_again(app, smtp, monkeypatch):
    def broken(recipe: dict):  # noqa: ANN202
        raise ValueError("no such template")

    monkeypatch.setitem(WRITE, "broken", broken)
    with app.app_context():
        recipes.queue("broken@example.org", "Trasig", "test.case", case="broken")
        note("fine@example.org")
        db.session.commit()  # inline attempt: the good one goes, the broken one fails
        rows = _rows()
        assert rows["fine@example.org"].status is MailStatus.SENT
        broken_row = rows["broken@example.org"]
        assert broken_row.status is MailStatus.FAILED
        assert broken_row.last_error == "could not be written: ValueError: no such template"
        assert broken_row.recipe == {"kind": "test.case", "case": "broken"}  # kept, to be written once fixed
        monkeypatch.setitem(WRITE, "broken", lambda recipe: compose.compose(
            to="broken@example.org", subject="Lagad", text="Text", html="<p>Text</p>", lang="sv"))
        outbox_services.retry([broken_row.id])  # staff's "try again now"
        assert _rows()["broken@example.org"].status is MailStatus.SENT
    assert [m["Subject"] for m in smtp.messages] == ["Hej", "Lagad"]


def test_a_row_claimed_by_one_sender_is_written_and_sent_by_it_alone(app, smtp, monkeypatch):
    app.config["MAIL_AFTER_COMMIT"] = "off"
    calls = []
    monkeypatch.setitem(WRITE, "count", lambda recipe: calls.append(1) or compose.compose(
        to="a@example.org", subject="Hej", text="Text", html="<p>T</p>", lang="sv"))
    with app.app_context():
        recipes.queue("a@example.org", "Hej", "test.case", case="count")
        db.session.commit()
        assert len(sending.claim("another sender")) == 1
        assert sending.send_due().sent == 0 and calls == []  # this sender finds nothing to write
        [row] = _rows().values()
        assert (row.status, row.claimed_by, row.message) == (MailStatus.SENDING, "another sender", b"")


def test_a_kind_without_a_writer_is_refused_when_queued(app_ctx):
    with pytest.raises(LookupError):
        recipes.queue("a@example.org", "Hej", "no.such.kind")


def test_a_database_error_while_writing_leaves_every_recipe_waiting_and_other_mail_goes(app, smtp, monkeypatch):
    def database_gone(recipe: dict):  # noqa: ANN202
        raise OperationalError("SELECT 1", {}, ConnectionError("server closed the connection"))

    monkeypatch.setitem(WRITE, "db", database_gone)
    app.config["MAIL_AFTER_COMMIT"] = "off"
    with app.app_context():
        recipes.queue("one@example.org", "Ett", "test.case", case="db")
        recipes.queue("two@example.org", "Två", "test.case", case="db")
        note("fine@example.org")
        db.session.commit()
        assert sending.send_due().sent == 1
        rows = _rows()
        for address in ("one@example.org", "two@example.org"):  # not the messages' fault: not failed, no try
            assert (rows[address].status, rows[address].tries, rows[address].recipe["case"]) == (
                MailStatus.WAITING, 0, "db")
    assert [m["To"] for m in smtp.messages] == ["fine@example.org"]


def test_a_recipe_whose_registration_id_now_belongs_to_someone_else_is_dropped(app, client, smtp, forum_id):
    """SQLite gives a deleted row's id to the next row: the recipe names the registration it was written for."""
    app.config["MAIL_AFTER_COMMIT"] = "off"
    _register(client, forum_id, "gone@example.org")
    with app.app_context():
        gone = db.session.scalar(select(Registration))
        gone_id, forum = gone.id, gone.forum_id
        db.session.delete(gone)
        db.session.flush()
        db.session.add(Registration(id=gone_id, forum_id=forum, name="Ny", email="gone@example.org", language="sv",
                                    status=RegistrationStatus.WAITING, created_at=gone.created_at + timedelta(days=1000)))
        db.session.commit()
        assert sending.send_due().sent == 0
        assert _rows() == {}
    assert smtp.messages == []


def test_a_pass_of_a_few_batches_writes_no_more_than_it_may_send(app, smtp):
    app.config.update(MAIL_AFTER_COMMIT="off", MAIL_BATCH_SIZE=2)
    with app.app_context():
        for n in range(5):
            note(f"p{n}@example.org")
        db.session.commit()
        assert sending.send_due(max_batches=1).sent == 2
        assert sorted(address for address, row in _rows().items() if row.recipe is not None) == [
            "p2@example.org", "p3@example.org", "p4@example.org"]
        assert sending.send_due().sent == 3
    assert len(smtp.messages) == 5


def test_a_message_kept_for_its_next_try_holds_no_working_link(app, client, forum_id):
    """Issue 32, L9: the outbox never stores a raw token. A message is written when it is sent; only when a
    temporary failure keeps it for the next try are its bytes stored, sealed with the site's key."""
    import email
    import email.policy

    from forum_app.core.tokens import unseal_bytes

    from ..pg import free_port

    app.config.update(MAIL_AFTER_COMMIT="off", MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nothing there
    token = _register(client, forum_id, "amal@example.org")
    with app.app_context():
        assert sending.send_due().retrying == 1
        row = _rows()["amal@example.org"]
        assert row.status is MailStatus.WAITING and row.message
        assert token.encode() not in row.message and b"amal@example.org" not in row.message
        kept = email.message_from_bytes(unseal_bytes(row.message), policy=email.policy.default)
        assert token in _text(kept)  # the same message goes next time
