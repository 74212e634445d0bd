"""Mail throughput: the newsletter and the outbox sender beside a bare smtplib loop, and their memory.

    .venv/bin/python benchmarks/mail.py                       # 2,500 then 10,000 addresses, SQLite
    .venv/bin/python benchmarks/mail.py --sizes 1000          # a quick look
    DATABASE_URL=postgresql://... .venv/bin/python benchmarks/mail.py   # an empty database of your own

For each size, on a fresh database, four runs against the same SMTP sink (aiosmtpd on loopback in its
own process, accepting and discarding, so the sender has a core of its own):

- *newsletter, bare*: ``smtplib`` over one connection, each message built from the issue rendered once per
  language (the platform's own ``IssueRenderer``) and sent; nothing written anywhere.
- *newsletter*: ``newsletter.sending.send_due()``: the delivery rows, a claim per batch, one write per message.
- *outbox, bare*: ``smtplib.sendmail`` of the outbox's stored messages over one connection.
- *outbox*: ``outbox.sending.send_due()``: a claim per batch, the row marked sent per message.

Then, in a table of its own, registrations' confirmations queued as recipes (``outbox.recipes``, as a
registration queues them): ``send_due()`` writes each one (templates, calendar file, MIME) and sends it.
There is no bare twin for that: it is the work taken out of the registration's request.

Memory is the process's resident size, sampled every 20 ms during each run, above what it was when the run
began (Python keeps memory it has used, so a run after a bigger one may show less). Flat means the same for
2,500 and 10,000 addresses.
"""

from __future__ import annotations

import argparse
import os
import signal
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pg import free_port  # noqa: E402

LANGS = ["sv", "ar", "fa", "so", "ti", "uk", "en"]


@contextmanager
def sink():
    """aiosmtpd's discarding handler on a free loopback port, in a process of its own."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink",
                                "-l", f"127.0.0.1:{port}"], start_new_session=True)
    try:
        for _ in range(100):
            try:
                smtplib.SMTP("127.0.0.1", port, timeout=1).quit()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def rss_mib() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@contextmanager
def measured(result: dict):
    """Wall time, this process's CPU time and the peak resident memory above the start, into ``result``."""
    start_rss, peak, done = rss_mib(), [0.0], threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], rss_mib())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    began, cpu = time.perf_counter(), time.process_time()
    try:
        yield
    finally:
        result["seconds"] = time.perf_counter() - began
        result["cpu"] = time.process_time() - cpu
        done.set()
        sampler.join()
        result["mib"] = max(peak[0], rss_mib()) - start_rss


def make_app(url: str, folder: str, port: int):  # noqa: ANN201
    from flask_migrate import upgrade

    from forum_app import create_app

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                      "BASE_URL": "http://localhost", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": port,
                      "MAIL_AFTER_COMMIT": "off"})
    with app.app_context():
        upgrade()
    return app


def newsletter(app, total: int, port: int) -> dict:  # noqa: ANN001
    from sqlalchemy import func, select

    from forum_app.core.extensions import db
    from forum_app.core.models_base import utcnow
    from forum_app.newsletter import sending
    from forum_app.newsletter.models import Delivery, DeliveryStatus, Issue, IssueStatus, Section, Subscriber

    rows: dict[str, dict] = {"bare": {}, "platform": {}}
    with app.app_context():
        db.session.add_all(Subscriber(email=f"s{n}@example.org", language=LANGS[n % 7], confirmed_at=utcnow())
                           for n in range(total))
        issue = Issue(title={"sv": "Nyhetsbrev", "ar": "نشرة"}, period_start=date(2027, 1, 1),
                      period_end=date(2027, 4, 30), status=IssueStatus.SCHEDULED,
                      send_at=utcnow() - timedelta(minutes=1))
        issue.sections.append(Section(heading={"sv": "Forum"}, body={"sv": "Vi höll två forum. " * 20}))
        db.session.add(issue)
        db.session.commit()
        renderer = sending.IssueRenderer(issue)
        with app.test_request_context(), measured(rows["bare"]):
            client = smtplib.SMTP("127.0.0.1", port)
            for subscriber in db.session.execute(select(Subscriber.id, Subscriber.email, Subscriber.language,
                                                        Subscriber.link_key)).yield_per(500):
                client.send_message(renderer.message(subscriber))
            client.quit()
        db.session.commit()
        with measured(rows["platform"]):
            sent = sending.send_due()
        assert sent == total, sent
        assert db.session.scalar(select(func.count()).select_from(Delivery)
                                 .where(Delivery.status == DeliveryStatus.SENT)) == total
    return rows


def outbox(app, total: int, port: int) -> dict:  # noqa: ANN001
    from sqlalchemy import func, select

    from forum_app.core.extensions import db
    from forum_app.mail import compose, outbox
    from forum_app.mail.outbox import sending
    from forum_app.mail.outbox.models import MailStatus, OutboxMessage

    rows: dict[str, dict] = {"bare": {}, "platform": {}}
    with app.test_request_context():
        for first in range(0, total, 500):
            for n in range(first, min(first + 500, total)):
                outbox.send(compose.compose(to=f"p{n}@example.org", subject=f"Du är anmäld: forum {n % 24}",
                                       text="Hej!\n\n" + "Tack för din anmälan. " * 30,
                                       html="<p>Hej!</p>" + "<p>Tack för din anmälan.</p>" * 30, lang=LANGS[n % 7]))
            db.session.commit()
        sender = app.config["MAIL_DEFAULT_SENDER"]
        with measured(rows["bare"]):
            client = smtplib.SMTP("127.0.0.1", port)
            for recipient, raw in db.session.execute(select(OutboxMessage.recipient, OutboxMessage.message)
                                                     .order_by(OutboxMessage.id)).yield_per(200):
                client.sendmail(sender, [recipient], raw)
            client.quit()
        db.session.commit()
        with measured(rows["platform"]):
            result = sending.send_due()
        assert result.sent == total, result
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.status == MailStatus.SENT)) == total
    return rows


def confirmations(app, total: int, port: int) -> dict:  # noqa: ANN001
    """``total`` registrations' confirmations as queued recipes, written and sent by one pass."""
    from sqlalchemy import func, select

    from forum_app.core.extensions import db
    from forum_app.core.models_base import utcnow
    from forum_app.core.tokens import new_token
    from forum_app.mail.outbox import sending
    from forum_app.mail.outbox.models import MailStatus, OutboxMessage
    from forum_app.planning.models import Forum, ForumStatus, Topic
    from forum_app.registrations.models import Registration, RegistrationStatus
    from forum_app.registrations.notifications import send_confirmation

    result: dict = {}
    with app.app_context():
        topic = Topic(year=2027, title={"sv": "Arbete"})
        starts = utcnow() + timedelta(days=30)
        forum = Forum(topic=topic, hook={lang: f"Forum ({lang})" for lang in LANGS}, starts_at=starts,
                      ends_at=starts + timedelta(hours=3), venue_name="Stadshuset", venue_address="Torget 1",
                      capacity=total, status=ForumStatus.PUBLISHED)
        db.session.add(forum)
        db.session.flush()
        for first in range(0, total, 500):
            for n in range(first, min(first + 500, total)):
                token, token_hash = new_token()
                registration = Registration(forum_id=forum.id, name=f"Person {n}", email=f"c{n}@example.org",
                                            language=LANGS[n % 7], spoken_language=LANGS[n % 7], token_hash=token_hash,
                                            status=RegistrationStatus.CONFIRMED if n % 4 else RegistrationStatus.WAITING)
                db.session.add(registration)
                db.session.flush()
                send_confirmation(registration, token)
            db.session.commit()
        with measured(result):
            sent = sending.send_due()
        assert sent.sent == total, sent
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.status == MailStatus.SENT, OutboxMessage.recipe.is_(None))) == total
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2500,10000")
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    print("| sender | addresses | bare s | platform s | ratio (bare s / platform s) | "
          "CPU s bare / platform | CPU ratio | peak MiB bare / platform |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    written: dict[int, dict] = {}
    with sink() as port:
        for total in (int(size) for size in args.sizes.split(",")):
            folder = tempfile.mkdtemp(prefix="forum-bench-mail-")
            url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
            app = make_app(url, folder, port)
            for name, run in (("newsletter", newsletter), ("outbox", outbox)):
                rows = run(app, total, port)
                bare, ours = rows["bare"], rows["platform"]
                print(f"| {name} | {total} | {bare['seconds']:.1f} | {ours['seconds']:.1f} "
                      f"| {bare['seconds'] / ours['seconds']:.2f} | {bare['cpu']:.1f} / {ours['cpu']:.1f} "
                      f"| {bare['cpu'] / ours['cpu']:.2f} | {bare['mib']:.1f} / {ours['mib']:.1f} |", flush=True)
            with app.app_context():
                from forum_app.core.extensions import db

                db.engine.dispose()
            written[total] = confirmations(make_app(url.replace("bench.sqlite3", "recipes.sqlite3"), folder, port)
                                           if not os.environ.get("DATABASE_URL") else app, total, port)
    print("\n| confirmations queued as recipes | written and sent in s | ms a message | CPU s | peak MiB |")
    print("|---:|---:|---:|---:|---:|")
    for total, result in written.items():
        print(f"| {total} | {result['seconds']:.1f} | {result['seconds'] * 1000 / total:.2f} | {result['cpu']:.1f} "
              f"| {result['mib']:.1f} |")


if __name__ == "__main__":
    main()
