"""200 people submit at the same moment for 150 places, through gunicorn with several workers."""

import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from sqlalchemy import func, select

from forum_app.core.extensions import db
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories
from ..pg import free_port

pytestmark = pytest.mark.slow  # real processes and many connections: see PYTEST_ARGS in the README

ROOT = Path(__file__).resolve().parents[2]


def _serve(database_url: str, instance: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "FORUM_INSTANCE_PATH": str(instance),
           "SECRET_KEY": "concurrency-test", "MAIL_OUTBOX": str(instance / "outbox"),
           "REGISTRATION_LIMIT": "0",  # 200 people from one address: as from a tablet at the venue
           # What is tested is that the places hold, not how fast: on a machine shared with the other test
           # process a post may wait longer than a visitor would (the rush's speed is benchmarks/compare.py's).
           "LOCK_TIMEOUT_SECONDS": "60"}
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "4", "--threads", "8", "--bind",
         f"127.0.0.1:{port}", "--log-level", "warning", "forum_app:create_app()"],
        cwd=ROOT, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def _register(base: str, forum_id: int, n: int) -> int:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    url = f"{base}/sv/forums/{forum_id}/register"
    page = opener.open(url, timeout=60).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "name": f"Person {n}", "email": f"p{n}@example.org",
                                   "spoken_language": "ar", "interpretation": "", "consent": "y"}).encode()
    return opener.open(url, data=data, timeout=120).status


def test_200_simultaneous_registrations_for_150_places(app, database_url, tmp_path):
    with app.app_context():
        forum_id = factories.forum(capacity=150).id
        db.engine.dispose()
    process, base = _serve(database_url, tmp_path)
    try:
        with ThreadPoolExecutor(max_workers=50) as pool:
            statuses = list(pool.map(lambda n: _register(base, forum_id, n), range(200)))
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert statuses == [200] * 200
    with app.app_context():
        counts = dict(db.session.execute(select(Registration.status, func.count())
                                         .where(Registration.forum_id == forum_id).group_by(Registration.status)).all())
    assert counts == {RegistrationStatus.CONFIRMED: 150, RegistrationStatus.WAITING: 50}


def _register_with_child(base: str, forum_id: int, n: int, barrier) -> str:  # noqa: ANN001
    """Load the form, wait for the other person, then both send it at the same moment; the answer page."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    url = f"{base}/sv/forums/{forum_id}/register"
    page = opener.open(url, timeout=60).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrf_token": token, "name": f"Förälder {n}", "phone": f"07012300{n:02d}",
                                   "children_ages": "4", "spoken_language": "ar", "interpretation": "",
                                   "consent": "y"}).encode()
    barrier.wait(timeout=60)
    return opener.open(url, data=data, timeout=120).read().decode()


def test_two_people_at_once_for_the_last_childcare_place(app, database_url, tmp_path):
    """Issue 27: one gets the last childcare place, the other is told the childcare is full and may choose
    (a place at the forum is free), on both databases; never two children in one place."""
    import threading

    rounds = 5
    with app.app_context():
        forum_ids = [factories.forum(capacity=10, childcare_capacity=1, childcare_offered=True).id
                     for _ in range(rounds)]
        db.engine.dispose()
    process, base = _serve(database_url, tmp_path)
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = []
            for forum_id in forum_ids:
                barrier = threading.Barrier(2)
                answers.append(list(pool.map(lambda n, f=forum_id, b=barrier: _register_with_child(base, f, n, b),
                                             range(2))))
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    with app.app_context():
        for forum_id, pages in zip(forum_ids, answers):
            statuses = sorted(db.session.scalars(select(Registration.status)
                                                 .where(Registration.forum_id == forum_id)).all())
            assert statuses == [RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING], statuses
            assert sum('name="choice"' in page for page in pages) == 1  # the other is offered the choice
