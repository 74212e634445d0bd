"""How long sending an issue to 10,000 subscribers takes, against a local SMTP sink, compared with a
bare smtplib loop sending the same messages over one connection in the same run.

    .venv/bin/python benchmarks/newsletter.py [SUBSCRIBERS]

The sink is aiosmtpd on loopback that accepts and discards. Both runs send the same rendered
messages; the difference is the cost of what makes ours safe: a claim per batch and two small
writes per message (sending, sent) in the database.
"""

from __future__ import annotations

import smtplib
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiosmtpd.controller import Controller  # noqa: E402

from forum_app import create_app  # noqa: E402
from forum_app.core.extensions import db  # noqa: E402
from forum_app.core.models_base import utcnow  # noqa: E402
from forum_app.newsletter import sending  # noqa: E402
from forum_app.newsletter.models import Issue, IssueStatus, Section, Subscriber  # noqa: E402
from tests.pg import free_port  # noqa: E402

LANGS = ["sv", "ar", "fa", "so", "ti", "uk", "en"]


class Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
        self.count += 1
        return "250 OK"


def main(total: int) -> None:
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    folder = tempfile.mkdtemp(prefix="forum-bench-mail-")
    app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "INSTANCE_PATH": folder,
                      "SECRET_KEY": "bench", "BASE_URL": "http://localhost", "MAIL_SERVER": "127.0.0.1",
                      "MAIL_PORT": controller.port})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.session.add_all(Subscriber(email=f"s{n}@example.org", language=LANGS[n % 7], confirmed_at=utcnow())
                           for n in range(total))
        issue = Issue(title={"sv": "Nyhetsbrev", "ar": "نشرة"}, period_start=date(2027, 1, 1),
                      period_end=date(2027, 4, 30), status=IssueStatus.SCHEDULED,
                      send_at=utcnow() - timedelta(minutes=1))
        issue.sections.append(Section(heading={"sv": "Forum"}, body={"sv": "Vi höll två forum. " * 20}))
        db.session.add(issue)
        db.session.commit()

        # The same messages through a bare smtplib loop, one connection.
        renderer = sending.IssueRenderer(issue)
        subscribers = db.session.query(Subscriber).all()
        start = time.perf_counter()
        with app.test_request_context():
            messages = [renderer.message(s) for s in subscribers]
        client = smtplib.SMTP("127.0.0.1", controller.port)
        for message in messages:
            client.send_message(message)
        client.quit()
        bare = time.perf_counter() - start

        start = time.perf_counter()
        sent = sending.send_due()
        ours = time.perf_counter() - start
    controller.stop()
    assert sent == total and sink.count == 2 * total
    print("| subscribers | bare smtplib loop (s) | platform send_due (s) | messages/s (platform) |")
    print("|---:|---:|---:|---:|")
    print(f"| {total} | {bare:.1f} | {ours:.1f} | {total / ours:.0f} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
