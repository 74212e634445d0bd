"""CPU per request as the data grows: the demo data at 1x, 10x and 50x (issue 24).

    .venv/bin/python benchmarks/growth.py                          # SQLite, 1x 10x 50x
    .venv/bin/python benchmarks/growth.py --database postgresql    # a throwaway cluster (tests/pg.py)
    .venv/bin/python benchmarks/growth.py --levels 1 50 --repeats 9
    .venv/bin/python benchmarks/growth.py --levels --newsletter 50000   # only the newsletter pass

Each level starts from an empty database, runs the migrations and ``flask demo`` (1x), then adds history
in the years before the current one at the density of a busy city: six topics, 30 forums and about
10,000 registrations, 5,000 subscribers, 5,000 sent emails, 24 recommendations, 600 feedback answers and
1,300 audit events a year. 10x is two years of it, 50x ten years (about 300 forums and 100,000
registrations). The rows are written with bulk inserts, not through the services: this measures reading.

Every public and staff page is then requested through Flask's test client: one request to warm it, then
``--repeats`` more, each timed with ``time.process_time()`` (the process's CPU, so a busy machine moves
it less than wall time). The levels' databases are built first and take turns request by request, so a
busy moment of a shared machine falls on every level alike. The median is printed per page and level with the ratio to 1x; the goal is no
page above 1.5x. Per-forum pages use the same demo forum at every level (the one held three weeks ago):
the growth asked about is history, not the size of one forum.

``--newsletter N`` times one newsletter pass (``sending.send_due``) to N subscribers through an aiosmtpd
sink on loopback, as benchmarks/newsletter.py does. Record the tables in docs/benchmarks.md ("Growth").
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import re
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, select  # noqa: E402

from forum_app import create_app  # noqa: E402
from forum_app.accounts.models import Department  # noqa: E402
from forum_app.core.audit import AuditEvent  # noqa: E402
from forum_app.core.extensions import db  # noqa: E402
from forum_app.core.timeutil import city_today  # noqa: E402
from forum_app.demo import DEMO_PASSWORD, load_demo  # noqa: E402
from forum_app.impact.models import AnnualReport, Channel, FeedbackAnswer  # noqa: E402
from forum_app.mail.outbox.models import MailStatus, OutboxMessage  # noqa: E402
from forum_app.newsletter.models import Issue, IssueStatus, Section, Subscriber  # noqa: E402
from forum_app.planning.models import BudgetCategory, BudgetLine, Forum, ForumStatus, GuidingQuestion, Mandate, Topic  # noqa: E402
from forum_app.recommendations.models import (  # noqa: E402
    Recommendation,
    Status,
    StatusChange,
    recommendation_department,
    recommendation_forum,
)
from forum_app.registrations.models import Registration, RegistrationStatus  # noqa: E402

LEVELS = {1: 0, 10: 2, 50: 10}  # level: years of history added before the current one
TOPICS_A_YEAR, FORUMS_A_TOPIC, REGISTRATIONS_A_FORUM = 6, 5, 333
SUBSCRIBERS_A_YEAR, EMAILS_A_YEAR, ANSWERS_A_FORUM, AUDIT_A_YEAR = 5_000, 5_000, 20, 1_300
RECOMMENDATIONS_A_TOPIC = 4
LANGS = ["sv", "ar", "fa", "so", "ti", "uk", "en"]
FINAL = [Status.IMPLEMENTED, Status.PARTLY_IMPLEMENTED, Status.DECLINED, Status.IN_PROGRESS, Status.ACCEPTED,
         Status.PRESENTED, Status.AGREED, Status.IMPLEMENTED]
PATH_TO = {Status.AGREED: [Status.AGREED], Status.PRESENTED: [Status.AGREED, Status.PRESENTED],
           Status.DECLINED: [Status.AGREED, Status.PRESENTED, Status.DECLINED]}


def _path(final: Status) -> list[Status]:
    return PATH_TO.get(final, [Status.AGREED, Status.PRESENTED, Status.ACCEPTED]
                       + ([Status.IN_PROGRESS] if final is not Status.ACCEPTED else [])
                       + ([final] if final in (Status.IMPLEMENTED, Status.PARTLY_IMPLEMENTED) else []))


def _moment(year: int, day_of_year: int, hour: int = 17) -> datetime:
    from datetime import UTC

    return datetime(year, 1, 1, hour, tzinfo=UTC) + timedelta(days=day_of_year)


def grow(years: int) -> None:
    """Add ``years`` years of history before the current one (inside an app context)."""
    this_year = city_today().year
    departments = db.session.scalars(select(Department.id)).all()
    people = 0
    for year in range(this_year - years, this_year):
        db.session.add(Mandate(year=year, decided_by={"sv": "Kommunstyrelsen"}, decision_reference=f"KS {year}/1"))
        db.session.add(AnnualReport(year=year, text={"sv": f"Året {year} i korthet.\n\nFler kom än året före."}))
        db.session.add_all(BudgetLine(year=year, category=category, description=f"{category.value} {year}",
                                      planned=Decimal("12000"), actual=Decimal("11000"))
                           for category in list(BudgetCategory)[:8])
        forum_rows, recommendations = [], []
        for t in range(TOPICS_A_YEAR):
            topic = Topic(year=year, title={"sv": f"Ämne {t + 1} år {year}", "en": f"Topic {t + 1} of {year}"},
                          background={"sv": "Bakgrund. " * 20},
                          questions=[GuidingQuestion(position=n, text={"sv": f"Fråga {n}?"}) for n in (1, 2, 3)])
            db.session.add(topic)
            for f in range(FORUMS_A_TOPIC):
                starts = _moment(year, 20 + t * 55 + f * 9)
                status = ForumStatus.CANCELLED if (t + f) % 13 == 0 else \
                    ForumStatus.DOCUMENTED if f % 2 else ForumStatus.HELD
                forum = Forum(topic=topic, hook={"sv": f"Forum {f + 1}: {year}", "ar": "تعال وقل رأيك"},
                              description={"sv": "Beskrivning. " * 30}, starts_at=starts,
                              ends_at=starts + timedelta(hours=3), venue_name="Stadshuset", venue_address="Torget 1",
                              capacity=400, childcare_capacity=30, status=status,
                              interpretation_languages=["ar", "fa", "so", "ti"],
                              registration_opens_at=starts - timedelta(days=45),
                              registration_closes_at=starts - timedelta(days=1))
                db.session.add(forum)
                forum_rows.append(forum)
            for r in range(RECOMMENDATIONS_A_TOPIC):
                final = FINAL[(t * RECOMMENDATIONS_A_TOPIC + r) % len(FINAL)]
                recommendation = Recommendation(
                    topic=topic, title={"sv": f"Rekommendation {r + 1} om ämne {t + 1}, {year}"},
                    text={"sv": "Kommunen bör göra detta. " * 10}, status=final,
                    due_on=date(year + 1, 6, 30) if final in (Status.ACCEPTED, Status.IN_PROGRESS) else None,
                    created_at=_moment(year, 200), updated_at=_moment(year, 300))
                db.session.add(recommendation)
                recommendations.append((recommendation, final))
        db.session.flush()
        rows = []
        for forum in forum_rows:
            held = forum.status is not ForumStatus.CANCELLED
            for i in range(REGISTRATIONS_A_FORUM):
                # A third come back from earlier forums: the same person key across years.
                person = people + i if i % 3 else (i * 7) % max(people, 1)
                email = f"person{person}@example.org"
                rows.append({
                    "forum_id": forum.id, "name": f"Person {person}", "email": email,
                    "person_key": hashlib.sha256(email.encode()).hexdigest(), "language": LANGS[i % 7],
                    "spoken_language": LANGS[(i + 1) % 7], "interpretation_language": ["ar", "ti", "so", ""][i % 4],
                    "children_ages": [i % 12] if i % 3 == 0 else [], "diets": ["halal"] if i % 5 == 0 else [],
                    "wants_coreteam": i % 17 == 0, "newsletter": i % 2 == 0, "consent_at": forum.starts_at,
                    "status": RegistrationStatus.CONFIRMED if i < 300 else RegistrationStatus.WAITING,
                    "walk_in": i % 29 == 0, "attended_at": forum.starts_at if held and i % 4 else None,
                    "created_at": forum.starts_at - timedelta(days=20), "updated_at": forum.starts_at})
            people += REGISTRATIONS_A_FORUM
        db.session.execute(insert(Registration.__table__), rows)
        db.session.execute(insert(FeedbackAnswer.__table__), [
            {"forum_id": forum.id, "channel": (Channel.PAPER, Channel.VENUE, Channel.EMAIL)[i % 3],
             "got_to_speak": 1 + i % 5, "interpretation": 1 + (i * 3) % 5 if i % 2 else None,
             "childcare": 1 + (i * 2) % 5 if i % 3 else None, "represented": 1 + (i + 2) % 5,
             "come_again": 1 + (i + 3) % 5, "comment": "Bra." if i % 4 == 0 else "",
             "submitted_on": forum.ends_at.date() + timedelta(days=1)}
            for forum in forum_rows if forum.status is not ForumStatus.CANCELLED for i in range(ANSWERS_A_FORUM)])
        changes, links, forum_links = [], [], []
        for n, (recommendation, final) in enumerate(recommendations):
            for step, status in enumerate(_path(final)):
                changes.append({"recommendation_id": recommendation.id, "from_status": None, "to_status": status,
                                "at": _moment(year, 200 + 25 * step), "note": ""})
            links.append({"recommendation_id": recommendation.id, "department_id": departments[n % len(departments)]})
            forum_links.append({"recommendation_id": recommendation.id,
                                "forum_id": forum_rows[(n // RECOMMENDATIONS_A_TOPIC) * FORUMS_A_TOPIC].id})
        db.session.execute(insert(StatusChange.__table__), changes)
        db.session.execute(insert(recommendation_department), links)
        db.session.execute(insert(recommendation_forum), forum_links)
        first = db.session.scalar(select(Subscriber.id).order_by(Subscriber.id.desc()).limit(1)) or 0
        db.session.execute(insert(Subscriber.__table__), [
            {"email": f"reader{first + n}.{year}@example.org", "language": LANGS[n % 7],
             "confirmed_at": _moment(year, n % 360), "created_at": _moment(year, n % 360)}
            for n in range(SUBSCRIBERS_A_YEAR)])
        db.session.execute(insert(OutboxMessage.__table__), [
            {"recipient": f"person{n}@example.org", "subject": "Bekräftelse", "message": b"x" * 600,
             "status": MailStatus.SENT, "next_try_at": _moment(year, n % 360), "created_at": _moment(year, n % 360),
             "sent_at": _moment(year, n % 360), "tries": 1} for n in range(EMAILS_A_YEAR)])
        db.session.execute(insert(AuditEvent.__table__), [
            {"at": _moment(year, n % 360, 9), "action": ("update", "create", "publish")[n % 3],
             "object_type": ("Forum", "Registration", "Recommendation", "Topic")[n % 4], "object_id": 1 + n % 50,
             "summary": "", "changes": {"status": ["draft", "published"]}} for n in range(AUDIT_A_YEAR)])
        for n, month in enumerate((3, 6, 11)):
            issue = Issue(title={"sv": f"Nyhetsbrev {n + 1}, {year}"}, period_start=date(year, month, 1),
                          period_end=date(year, month, 28), status=IssueStatus.SENT,
                          send_at=_moment(year, month * 30), sent_at=_moment(year, month * 30))
            issue.sections.append(Section(heading={"sv": "Forum"}, body={"sv": "Vi höll forum. " * 20}))
            db.session.add(issue)
        db.session.commit()


def counts() -> dict[str, int]:
    from sqlalchemy import func

    return {name: db.session.scalar(select(func.count()).select_from(model)) for name, model in (
        ("forums", Forum), ("registrations", Registration), ("subscribers", Subscriber),
        ("outbox", OutboxMessage), ("recommendations", Recommendation), ("feedback", FeedbackAnswer),
        ("audit", AuditEvent))}


def pages(ids: dict) -> tuple[list[str], list[str]]:
    year, forum, rec, issue = ids["year"], ids["forum"], ids["recommendation"], ids["issue"]
    public = ["/sv/", "/sv/forums/", f"/sv/forums/?year={year - 1}", f"/sv/forums/{forum}", f"/sv/forums/{forum}.ics",
              f"/sv/forums/{forum}/register", "/sv/topics/", "/sv/recommendations/",
              f"/sv/recommendations/?year={year - 1}", f"/sv/recommendations/{rec}",
              "/sv/newsletter/", f"/sv/newsletter/{issue}", "/sv/newsletter/feed.atom",
              f"/sv/impact/{year}", f"/sv/impact/{year}/report", f"/sv/impact/{year}.csv",
              f"/sv/impact/{year}/report.pdf", "/api/v1/forums", "/api/v1/forums?per_page=100", "/api/v1/topics",
              "/api/v1/recommendations", f"/api/v1/impact/{year}", "/healthz"]
    staff = ["/sv/admin/", "/sv/admin/forums/", f"/sv/admin/forums/?year={year - 1}", f"/sv/admin/forums/{forum}",
             f"/sv/admin/forums/{forum}/registrations", f"/sv/admin/forums/{forum}/registrations.csv",
             f"/sv/admin/forums/{forum}/checkin", f"/sv/admin/forums/{forum}/feedback",
             f"/sv/admin/forums/{forum}/result", "/sv/admin/topics/", "/sv/admin/recommendations/",
             "/sv/admin/presentations/", "/sv/admin/newsletter/", "/sv/admin/mail/", "/sv/admin/audit/",
             "/sv/admin/organisations/", "/sv/admin/budget/", "/sv/admin/users/", "/sv/admin/core-team/",
             "/sv/admin/privacy/", f"/sv/admin/impact/{year}"]
    return public, staff


def cpu_ms(client, path: str) -> float:  # noqa: ANN001
    start = time.process_time()
    response = client.get(path)
    spent = (time.process_time() - start) * 1000
    assert response.status_code == 200, (path, response.status_code)
    return spent


def login(client) -> None:  # noqa: ANN001
    page = client.get("/sv/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/sv/login", data={"email": "admin@example.org", "password": DEMO_PASSWORD,
                                              "csrf_token": token})
    assert response.status_code == 302, response.status_code


def build(url: str, folder: str, level: int):  # noqa: ANN201 - (the app, its clients, the ids the pages use)
    from flask_migrate import upgrade

    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                      "BASE_URL": "http://localhost", "REGISTRATION_LIMIT": 0})
    with app.app_context():
        upgrade()
        load_demo()
        started = time.perf_counter()
        grow(LEVELS[level])
        built = time.perf_counter() - started
        sizes = counts()
        # The demo's latest held forum: generated history is older.
        held = db.session.scalar(select(Forum.id).where(Forum.status.in_((ForumStatus.HELD, ForumStatus.DOCUMENTED)))
                                 .order_by(Forum.starts_at.desc()).limit(1))
        ids = {"year": city_today().year, "forum": held,
               "recommendation": db.session.scalar(select(Recommendation.id).where(
                   Recommendation.status != Status.DRAFT).order_by(Recommendation.id).limit(1)),
               "issue": db.session.scalar(select(Issue.id).where(Issue.status == IssueStatus.SENT)
                                          .order_by(Issue.id).limit(1))}
        db.session.remove()
    print(f"level {level}x: {sizes} (history built in {built:.1f} s)", file=sys.stderr, flush=True)
    staff = app.test_client()
    login(staff)
    return app, {"public": app.test_client(), "staff": staff}, ids


def measure(levels: dict, repeats: int) -> dict[int, dict[str, float]]:
    """Every page at every level, the levels taking turns request by request, so that a busy moment of
    the machine falls on all of them alike."""
    table: dict[int, dict[str, float]] = {level: {} for level in levels}
    first = next(iter(levels.values()))
    public, staff = pages(first[2])
    for kind, paths in (("public", public), ("staff", staff)):
        for path in paths:
            samples: dict[int, list[float]] = {level: [] for level in levels}
            times = max(2, repeats // 3) if path.endswith(".pdf") else repeats
            for turn in range(times + 1):
                for level, (_app, clients, _ids) in levels.items():
                    spent = cpu_ms(clients[kind], path)
                    if turn:  # the first turn warms the page: templates compiled, statements cached
                        samples[level].append(spent)
            for level in levels:
                table[level][path] = statistics.median(samples[level])
    return table


def newsletter_pass(total: int) -> None:
    from aiosmtpd.controller import Controller

    from forum_app.core.models_base import utcnow
    from forum_app.newsletter import sending
    from tests.pg import free_port

    class Sink:
        count = 0

        async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802
            Sink.count += 1
            return "250 OK"

    controller = Controller(Sink(), hostname="127.0.0.1", port=free_port())
    controller.start()
    folder = tempfile.mkdtemp(prefix="forum-growth-mail-")
    app = create_app({"DATABASE_URL": f"sqlite:///{folder}/bench.sqlite3", "INSTANCE_PATH": folder,
                      "SECRET_KEY": "bench", "BASE_URL": "http://localhost", "MAIL_SERVER": "127.0.0.1",
                      "MAIL_PORT": controller.port})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.session.execute(insert(Subscriber.__table__), [
            {"email": f"s{n}@example.org", "language": LANGS[n % 7], "confirmed_at": utcnow()} for n in range(total)])
        issue = Issue(title={"sv": "Nyhetsbrev", "ar": "نشرة"}, period_start=date(2027, 1, 1),
                      period_end=date(2027, 4, 30), status=IssueStatus.SCHEDULED,
                      send_at=utcnow() - timedelta(minutes=1))
        issue.sections.append(Section(heading={"sv": "Forum"}, body={"sv": "Vi höll två forum. " * 20}))
        db.session.add(issue)
        db.session.commit()
        wall, cpu = time.perf_counter(), time.process_time()
        sent = sending.send_due()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    controller.stop()
    print(f"\n| subscribers | sent | wall (s) | process CPU, the sink's thread included (s) | messages/s |\n|---:|---:|---:|---:|---:|\n"
          f"| {total:,} | {sent:,} | {wall:.0f} | {cpu:.0f} | {sent / wall:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--levels", type=int, nargs="*", default=[1, 10, 50], choices=sorted(LEVELS))
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--newsletter", type=int, default=0, metavar="SUBSCRIBERS")
    options = parser.parse_args()
    logging.disable(logging.WARNING)  # the migrations' progress and WeasyPrint's notes on the stylesheet
    cluster = None
    if options.database == "postgresql" and options.levels:
        from tests.pg import Cluster

        cluster = Cluster().start()
    table: dict[int, dict[str, float]] = {}
    try:
        built = {}
        for level in options.levels:
            folder = tempfile.mkdtemp(prefix=f"forum-growth-{level}x-")
            url = cluster.create_database(f"growth{level}") if cluster else f"sqlite:///{folder}/forum.sqlite3"
            built[level] = build(url, folder, level)
        if built:
            table = measure(built, options.repeats)
        for app, _clients, _ids in built.values():
            with app.app_context():
                db.engine.dispose()
    finally:
        if cluster:
            cluster.stop()
    if table:
        levels = list(table)
        head = " | ".join(f"{level}x ms" for level in levels)
        ratios = " | ".join(f"{level}x/{levels[0]}x" for level in levels[1:])
        print(f"\n| page | {head} | {ratios} |\n|---|" + "---:|" * (2 * len(levels) - 1))
        for path in table[levels[0]]:
            values = [table[level][path] for level in levels]
            cells = " | ".join(f"{v:.1f}" for v in values)
            factors = " | ".join(f"{v / values[0]:.2f}" for v in values[1:])
            print(f"| `{path}` | {cells} | {factors} |")
    if options.newsletter:
        newsletter_pass(options.newsletter)


if __name__ == "__main__":
    main()
