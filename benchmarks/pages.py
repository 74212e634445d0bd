"""Time the main pages and a registration with a realistic amount of data.

    .venv/bin/python benchmarks/pages.py                 # SQLite in a temporary folder
    DATABASE_URL=postgresql://... .venv/bin/python benchmarks/pages.py

Prints a Markdown table (median and 95th percentile of N requests per page through Flask's test
client, so it measures the application and the database, not a network). Record the figures in
docs/benchmarks.md with the date and the machine.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from forum_app import create_app  # noqa: E402
from forum_app.core.extensions import db  # noqa: E402
from forum_app.core.models_base import utcnow  # noqa: E402
from forum_app.planning import services  # noqa: E402
from forum_app.planning.models import Forum, ForumStatus  # noqa: E402
from forum_app.registrations.models import Registration, RegistrationStatus  # noqa: E402

FORUMS, REGISTRATIONS_PER_FORUM, REPEATS = 24, 250, 40


def build(app) -> int:  # noqa: ANN001
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        questions = [{"sv": f"Fråga {n}?"} for n in (1, 2, 3)]
        forum_ids = []
        for year in range(2023, 2027):
            for n in range(6):
                topic = services.save_topic(None, year=year, questions=questions, title={"sv": f"Ämne {year}-{n}"})
                starts = utcnow() + timedelta(days=(year - 2025) * 365 + n * 20)
                forum = Forum(topic_id=topic.id, hook={"sv": f"Kom {n}!", "ar": "تعال!"}, starts_at=starts,
                              ends_at=starts + timedelta(hours=3), venue_name="Stadshuset", venue_address="Torget 1",
                              capacity=300, status=ForumStatus.PUBLISHED)
                db.session.add(forum)
                db.session.flush()
                forum_ids.append(forum.id)
                db.session.add_all(Registration(
                    forum_id=forum.id, name=f"Person {i}", email=f"p{i}.{forum.id}@example.org",
                    status=RegistrationStatus.CONFIRMED if i < 200 else RegistrationStatus.WAITING,
                    interpretation_language=["ar", "ti", "so", ""][i % 4], children_ages=[i % 12] if i % 3 else [],
                    dietary_needs="halal" if i % 5 == 0 else "") for i in range(REGISTRATIONS_PER_FORUM))
                db.session.commit()
        db.session.commit()
        from forum_app.accounts.services import create_user

        create_user("bench@example.org", "admin", "benchmark password")
        return forum_ids[-3]  # a coming forum, open for registration


def timed(client, url: str) -> tuple[float, float]:  # noqa: ANN001
    samples = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    folder = tempfile.mkdtemp(prefix="forum-bench-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                      "BASE_URL": "http://localhost"})
    forum_id = build(app)
    client = app.test_client()
    pages = ["/sv/", "/ar/forums/", f"/ar/forums/{forum_id}", f"/so/forums/{forum_id}/register",
             "/sv/topics/?year=2025", "/api/v1/forums?per_page=100", f"/sv/forums/{forum_id}.ics"]
    page = client.get("/sv/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    client.post("/sv/login", data={"email": "bench@example.org", "password": "benchmark password",
                                   "csrf_token": token})
    staff = [f"/sv/admin/forums/{forum_id}", f"/sv/admin/forums/{forum_id}/registrations",
             f"/sv/admin/forums/{forum_id}/registrations.csv", "/sv/admin/"]
    print(f"Database: {app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}; {FORUMS} forums x "
          f"{REGISTRATIONS_PER_FORUM} registrations; {REPEATS} requests per page\n")
    print("| page | median ms | p95 ms |\n|---|---:|---:|")
    for path in pages + staff:
        median, p95 = timed(client, path)
        print(f"| `{path}` | {median:.1f} | {p95:.1f} |")

    register_page = f"/sv/forums/{forum_id}/register"
    samples = []
    for n in range(REPEATS):
        html = client.get(register_page).get_data(as_text=True)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        start = time.perf_counter()
        response = client.post(register_page, data={"csrf_token": token, "name": f"Bench {n}",
                                                    "email": f"bench{n}@example.org", "consent": "y"})
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (response.status_code, re.findall(r"<p[^>]*>[^<]{0,200}</p>", response.get_data(as_text=True))[:8])
    samples.sort()
    print(f"| `POST {register_page}` (register) | {statistics.median(samples):.1f} | "
          f"{samples[int(len(samples) * 0.95) - 1]:.1f} |")


if __name__ == "__main__":
    main()
