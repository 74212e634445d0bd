"""How long one registration holds its forum's write lock, in one process with no other load.

Registrations for one forum are serialised by that lock (``registrations.services.register``), so the
time between taking it and the commit that releases it bounds how many registrations a second one forum
can take, whatever the number of workers. This script builds the benchmark data
(``benchmarks.pages.build``) in a temporary SQLite database (or ``DATABASE_URL``), then registers
``--people`` residents for a forum with 150 places, one after another, straight through the service,
and prints the median and p95 of the whole call and of the locked part::

    .venv/bin/python benchmarks/registration_lock.py
    .venv/bin/python benchmarks/registration_lock.py --people 400
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.compare import add_small_forum, build_data  # noqa: E402


def measure(url: str, folder: str, people: int) -> dict:
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from forum_app import create_app
    from forum_app.registrations import services

    build_data(url, folder)
    forum_id = add_small_forum(url, folder, capacity=150)
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                      "BASE_URL": "http://localhost", "REGISTRATION_LIMIT": 0, "MAIL_SERVER": ""})
    locked_at: list[float] = []
    locked: list[float] = []
    lock_forum = services._lock_forum

    def timed_lock(forum_id: int):  # noqa: ANN202
        locked_at.append(time.perf_counter())
        return lock_forum(forum_id)

    def released(_session: Session) -> None:
        if locked_at:
            locked.append((time.perf_counter() - locked_at.pop()) * 1000)

    services._lock_forum = timed_lock
    event.listen(Session, "after_commit", released)
    whole = []
    try:
        for n in range(people):
            fields = {"name": f"Rush {n}", "email": f"rush{n}@example.org", "language": ["sv", "ar", "fa"][n % 3],
                      "spoken_language": "ar", "interpretation_language": "", "children_ages": [],
                      "access_needs": "", "dietary_needs": "", "diets": [], "wants_coreteam": False,
                      "newsletter": False}
            with app.test_request_context("/sv/", environ_base={"REMOTE_ADDR": "127.0.0.1"}):
                began = time.perf_counter()
                services.register(forum_id, fields)
                whole.append((time.perf_counter() - began) * 1000)
    finally:
        services._lock_forum = lock_forum
        event.remove(Session, "after_commit", released)

    def p95(values: list[float]) -> float:
        return sorted(values)[int(len(values) * 0.95) - 1]

    return {"whole_p50": statistics.median(whole), "whole_p95": p95(whole),
            "locked_p50": statistics.median(locked), "locked_p95": p95(locked), "count": len(locked)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="forum-lock-")
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
    result = measure(url, folder, args.people)
    print(f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {os.cpu_count()} CPUs; {url.split(':')[0]}; "
          f"{args.people} registrations one after another ({result['count']} commits timed)")
    print(f"register(): p50 {result['whole_p50']:.1f} ms, p95 {result['whole_p95']:.1f} ms; "
          f"forum lock held: p50 {result['locked_p50']:.1f} ms, p95 {result['locked_p95']:.1f} ms")


if __name__ == "__main__":
    main()
