"""Without a mail server every email is an ``.eml`` file in the outbox folder; on a full disk the pass
leaves no empty or cut-off file, the message waits, and once there is room it is written whole."""

from datetime import timedelta

from sqlalchemy import select, update

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.core.tokens import unseal_bytes
from forum_app.mail.outbox import sending
from forum_app.mail.outbox.models import MailStatus, OutboxMessage

from ..diskspace import full_disk  # noqa: F401 - a fixture


def test_a_pass_on_a_full_disk_leaves_no_empty_eml_file_and_the_message_waits(app, queue, no_attempt,
                                                                             full_disk):  # noqa: F811
    """The outbox folder on a full disk: a real 2 MB tmpfs filled to the last byte when the tests run as
    root (as in CI), else writes into it refused with ENOSPC by ``os.write`` (tests/diskspace.py)."""
    folder = full_disk.folder / "outbox"
    app.config["MAIL_OUTBOX"] = str(folder)
    folder.mkdir()
    queue(["amal@example.org"], subject="Välkommen " + "till forumet " * 4000)  # bigger than what is left
    full_disk.fill()
    with app.app_context():
        sending.send_due()
        assert sorted(folder.iterdir()) == []  # nothing: not empty, not cut off, no temporary file
        assert db.session.scalar(select(OutboxMessage.status)) is MailStatus.WAITING
        db.session.execute(update(OutboxMessage).values(next_try_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        message = db.session.scalar(select(OutboxMessage.message))
        assert len(message) > 50_000

    full_disk.empty()
    with app.app_context():
        sending.send_due()
        assert db.session.scalar(select(OutboxMessage.status)) is MailStatus.SENT
    [eml] = folder.iterdir()
    with app.app_context():
        kept = unseal_bytes(message)  # kept sealed in the database between the tries
    assert eml.suffix == ".eml" and eml.read_bytes() == kept  # whole, and the same message
