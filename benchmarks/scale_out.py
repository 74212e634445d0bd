"""Scale out, shown: two web instances and two schedulers on one PostgreSQL, under a mixed load.

    .venv/bin/python benchmarks/scale_out.py                      # 2 minutes of load, then the checks
    .venv/bin/python benchmarks/scale_out.py --seconds 30 --subscribers 500   # a quick look

Everything runs on loopback and stops by itself: a throwaway PostgreSQL cluster (``tests/pg.py``), an
SMTP sink (aiosmtpd, in this process) that records every recipient, two gunicorn instances (2 sync
workers each) and two ``flask --app forum_app scheduler`` processes sharing the database. For
``--seconds`` the load runs, every loop bounded by that deadline:

- *readers* ask for public pages (home, forum list, a forum) from both instances, in turn;
- *registrants* load the form and register for a forum with fewer places than people, alternating instances;
- *staff* log in (on one instance) and add walk-ins at the check-in page (a form post each);
- the schedulers send a newsletter issue, due at the start, to ``--subscribers`` subscribers, and the
  confirmations the web could not send at once.

Then it waits (at most ``--drain`` seconds) until the outbox and the issue are done, and checks: no 5xx
answer; confirmed online places never above capacity and the rest waiting; each registrant exactly one
confirmation email and each subscriber exactly one newsletter at the sink; each staff post exactly one walk-in.
Exit status 1 if a check fails.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack, contextmanager
from datetime import date, timedelta
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402

from benchmarks.compare import gunicorn  # noqa: E402
from tests.pg import Cluster, free_port  # noqa: E402

PASSWORD = "correct horse battery staple"
STAFF = "staff@example.org"


class RecordingSink:
    """Accepts every message and remembers who it was for and what kind it was."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: collections.Counter = collections.Counter()

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802
        kind = "newsletter" if b"List-Unsubscribe:" in envelope.content else "other"
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received[(recipient, kind)] += 1
        return "250 OK"


class Tally:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.statuses: collections.Counter = collections.Counter()
        self.server_errors: list[str] = []

    def add(self, kind: str, status: int, url: str) -> None:
        with self.lock:
            self.statuses[(kind, status)] += 1
            if status >= 500:
                self.server_errors.append(f"{status} {url}")


def fetch(opener, url: str, tally: Tally, kind: str, data: dict | None = None) -> tuple[int, str]:  # noqa: ANN001
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, headers={"Origin": url.split("/", 3)[0] + "//" + url.split("/")[2]}
                                     if body else {})
    try:
        with opener.open(request, timeout=60) as answer:
            status, text = answer.status, answer.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode("utf-8", "replace")
    tally.add(kind, status, url)
    return status, text


def csrf(html: str) -> tuple[str, str]:
    name, value = re.search(r'name="([\w-]*csrf_token)"[^>]*value="([^"]+)"', html).groups()
    return name, value


def prepare_database(url: str, folder: Path, env: dict, subscribers: int, capacity: int) -> int:
    from forum_app import create_app
    from forum_app.core.extensions import db
    from forum_app.core.models_base import utcnow
    from forum_app.newsletter.models import Issue, IssueStatus, Section, Subscriber
    from forum_app.planning.models import Forum, ForumStatus, Topic

    subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "forum_app", "db", "upgrade"],
                   env={**os.environ, **env}, cwd=ROOT, check=True, capture_output=True)
    subprocess.run([str(Path(sys.executable).parent / "flask"), "--app", "forum_app", "create-user", STAFF,
                    "--role", "admin"], env={**os.environ, **env}, cwd=ROOT, input=f"{PASSWORD}\n{PASSWORD}\n",
                   text=True, check=True, capture_output=True)
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder), "SECRET_KEY": "bench",
                      "BASE_URL": "http://localhost"})
    with app.app_context():
        topic = Topic(title={"sv": "Boende"}, year=date.today().year)
        db.session.add(topic)
        db.session.flush()
        starts = utcnow() + timedelta(days=30)
        forum = Forum(topic_id=topic.id, hook={"sv": "Skala ut!"}, starts_at=starts, ends_at=starts + timedelta(hours=3),
                      venue_name="Stadshuset", venue_address="Torget 1", capacity=capacity,
                      status=ForumStatus.PUBLISHED)
        db.session.add(forum)
        db.session.add_all(Subscriber(email=f"sub{n}@example.org", language=["sv", "ar", "fa", "en"][n % 4],
                                      confirmed_at=utcnow()) for n in range(subscribers))
        issue = Issue(title={"sv": "Nyhetsbrev"}, period_start=date(2027, 1, 1), period_end=date(2027, 4, 30),
                      status=IssueStatus.SCHEDULED, send_at=utcnow() - timedelta(minutes=1))
        issue.sections.append(Section(heading={"sv": "Forum"}, body={"sv": "Vi höll två forum. " * 10}))
        db.session.add(issue)
        db.session.commit()
        forum_id = forum.id
        db.engine.dispose()
    return forum_id


@contextmanager
def scheduler(env: dict, log: Path):
    with log.open("w") as out:
        process = subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "forum_app", "scheduler"],
                                   env={**os.environ, **env}, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        try:
            yield process
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def load(bases: list[str], forum_id: int, seconds: float, people: int, tally: Tally) -> dict:
    deadline = time.monotonic() + seconds
    registered: list[str] = []
    walk_ins: list[str] = []
    lock = threading.Lock()

    def reader(n: int) -> None:
        opener = urllib.request.build_opener()
        pages = ["/sv/", "/en/forums/", f"/ar/forums/{forum_id}"]
        i = 0
        while time.monotonic() < deadline:
            fetch(opener, bases[(n + i) % 2] + pages[i % 3], tally, "page")
            i += 1

    def registrant(n: int) -> None:
        # people spread over the run: each thread takes every fourth person, one at a time
        for person in range(n, people, 4):
            if time.monotonic() > deadline:
                return
            base = bases[person % 2]
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
            url = f"{base}/sv/forums/{forum_id}/register"
            status, html = fetch(opener, url, tally, "form")
            if status != 200:
                continue
            name, token = csrf(html)
            email = f"person{person}@example.org"
            status, html = fetch(opener, url, tally, "register", {
                name: token, "name": f"Person {person}", "email": email, "spoken_language": "ar",
                "interpretation": "", "consent": "y"})
            if status == 200 and 'name="csrf_token"' not in html:  # not the form again with a message
                with lock:
                    registered.append(email)
            time.sleep(seconds / (people / 4) * 0.5)

    def staff() -> None:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        base = bases[0]
        _status, html = fetch(opener, f"{base}/sv/login", tally, "staff")
        name, token = csrf(html)
        fetch(opener, f"{base}/sv/login", tally, "staff", {name: token, "email": STAFF, "password": PASSWORD})
        n = 0
        while time.monotonic() < deadline and n < 500:
            page = f"{base}/sv/admin/forums/{forum_id}/checkin"
            status, html = fetch(opener, page, tally, "staff")
            if status != 200:
                time.sleep(1)
                continue
            name, token = csrf(html)
            status, _html = fetch(opener, page, tally, "staff-edit", {
                name: token, "walkin-name": f"Walk-in {n}", "walkin-interpretation": "", "walkin-children_ages": ""})
            if status == 200:
                walk_ins.append(f"Walk-in {n}")
            n += 1
            time.sleep(0.5)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(4)]
    threads += [threading.Thread(target=registrant, args=(n,)) for n in range(4)]
    threads.append(threading.Thread(target=staff))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 300)
    return {"registered": registered, "walk_ins": walk_ins}


def main() -> None:  # noqa: PLR0915 - one story, top to bottom
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--subscribers", type=int, default=3000)
    parser.add_argument("--people", type=int, default=240, help="registrants over the run")
    parser.add_argument("--capacity", type=int, default=150)
    parser.add_argument("--drain", type=float, default=180, help="seconds to wait for the mail afterwards")
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {os.cpu_count()} CPUs; {args.seconds:.0f} s of load; "
          f"{args.subscribers} subscribers; {args.people} registrants for {args.capacity} places", flush=True)
    sink = RecordingSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    cluster = Cluster().start()
    folder = Path(cluster.dir) / "instance"
    folder.mkdir()
    failures = []
    try:
        url = cluster.create_database("scale")
        env = {"DATABASE_URL": url, "FORUM_INSTANCE_PATH": str(folder), "SECRET_KEY": "bench",
               "BASE_URL": "http://localhost", "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(controller.port),
               "REGISTRATION_LIMIT": "0", "FORUM_ENV": "development"}
        forum_id = prepare_database(url, folder, env, args.subscribers, args.capacity)
        tally = Tally()
        started = time.monotonic()
        with ExitStack() as stack:
            bases = [stack.enter_context(gunicorn("forum_app:create_app()", env, 2, "/healthz"))[0] for _ in range(2)]
            for n in range(2):
                stack.enter_context(scheduler(env, folder / f"scheduler-{n}.log"))
            result = load(bases, forum_id, args.seconds, args.people, tally)
            print(f"load done after {time.monotonic() - started:.0f} s; waiting for the mail", flush=True)
            done = drain(url, folder, time.monotonic() + args.drain)
        print(f"mail done: {done}")
        failures += check(url, folder, forum_id, args, sink, tally, result)
    finally:
        controller.stop()
        cluster.stop()
    print("\n".join(["", "FAILED:", *failures]) if failures else "\nall checks passed")
    sys.exit(1 if failures else 0)


def _app(url: str, folder: Path):  # noqa: ANN202
    from forum_app import create_app

    return create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder), "SECRET_KEY": "bench",
                       "BASE_URL": "http://localhost"})


def drain(url: str, folder: Path, deadline: float) -> bool:
    from sqlalchemy import func, select

    from forum_app.core.extensions import db
    from forum_app.mail.outbox.models import MailStatus, OutboxMessage
    from forum_app.newsletter.models import Issue, IssueStatus

    app = _app(url, folder)
    with app.app_context():
        try:
            while time.monotonic() < deadline:
                waiting = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
                    OutboxMessage.status.in_([MailStatus.WAITING, MailStatus.SENDING])))
                open_issues = db.session.scalar(select(func.count()).select_from(Issue)
                                                .where(Issue.status != IssueStatus.SENT))
                db.session.rollback()
                if not waiting and not open_issues:
                    return True
                time.sleep(2)
            return False
        finally:
            db.engine.dispose()


def check(url: str, folder: Path, forum_id: int, args, sink: RecordingSink, tally: Tally,  # noqa: ANN001
          result: dict) -> list[str]:
    from sqlalchemy import func, select

    from forum_app.core.extensions import db
    from forum_app.newsletter.models import Subscriber
    from forum_app.registrations.models import Registration, RegistrationStatus

    failures = []
    app = _app(url, folder)
    with app.app_context():
        online = dict(db.session.execute(select(Registration.status, func.count()).where(
            Registration.forum_id == forum_id, Registration.walk_in.is_(False)).group_by(Registration.status)).all())
        emails = list(db.session.scalars(select(Registration.email).where(
            Registration.forum_id == forum_id, Registration.walk_in.is_(False))))
        walk_ins = list(db.session.scalars(select(Registration.name).where(
            Registration.forum_id == forum_id, Registration.walk_in.is_(True))))
        subscribers = list(db.session.scalars(select(Subscriber.email)))
        db.engine.dispose()
    confirmed, waiting = online.get(RegistrationStatus.CONFIRMED, 0), online.get(RegistrationStatus.WAITING, 0)
    print("\nanswers by kind and status:", dict(sorted(tally.statuses.items())))
    print(f"registrations: {len(result['registered'])} answered 200, {len(emails)} in the database; "
          f"{confirmed} confirmed, {waiting} waiting (capacity {args.capacity})")
    print(f"walk-ins: {len(result['walk_ins'])} posts answered 200, {len(walk_ins)} in the database")
    confirmations = collections.Counter({r: sink.received[(r, "other")] for r in emails})
    newsletters = collections.Counter({s: sink.received[(s, "newsletter")] for s in subscribers})
    print(f"confirmation emails per registrant: {dict(collections.Counter(confirmations.values()))}")
    print(f"newsletters per subscriber: {dict(collections.Counter(newsletters.values()))}")
    if tally.server_errors:
        failures.append(f"{len(tally.server_errors)} server errors, e.g. {tally.server_errors[:5]}")
    if confirmed > args.capacity or (waiting and confirmed < args.capacity):
        failures.append(f"{confirmed} confirmed and {waiting} waiting for {args.capacity} places")
    if sorted(emails) != sorted(result["registered"]):
        failures.append("the registrations in the database are not those that were answered")
    if set(confirmations.values()) - {1}:
        failures.append("a registrant got no confirmation or more than one")
    if set(newsletters.values()) - {1}:
        failures.append("a subscriber got no newsletter or more than one")
    if sorted(walk_ins) != sorted(result["walk_ins"]):
        failures.append("the walk-ins in the database are not those that staff added")
    return failures


if __name__ == "__main__":
    main()
