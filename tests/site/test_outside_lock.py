"""Another process holds SQLite's write lock (``sqlite3 forum.sqlite3``, ``BEGIN EXCLUSIVE``): pages that
read answer as usual, /healthz answers at once naming the write that cannot be made, and a registration is
asked to try again after a short wait, keeping what was typed, with nothing saved. No timing is asserted:
the lock is held until every answer has arrived, so a page that waited for it would fail instead."""

from __future__ import annotations

import subprocess
import sys
from contextlib import contextmanager

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from forum_app.core.extensions import db
from forum_app.core.throttle import RateEvent
from forum_app.registrations.models import Registration

from .. import factories
from ..conftest import MONITOR, csrf_token_from, submit

FORM = {"name": "Amal Haddad", "email": "amal@example.org", "spoken_language": "ar", "interpretation": "",
        "consent": "y"}
GUARD_SECONDS = 120  # the holder lets go by itself after this, so a test that hangs still ends

HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute(f"BEGIN {sys.argv[2]}")
connection.execute("DELETE FROM heartbeat")  # a write in progress, never committed
print("held", flush=True)
sys.stdin.readline()  # until the test is done, or the guard's timeout closes it
connection.execute("ROLLBACK")
"""


@contextmanager
def another_process_holding_the_write_lock(database_url: str, mode: str):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, make_url(database_url).database, mode],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.communicate("done\n", timeout=GUARD_SECONDS)
    assert holder.returncode == 0


@pytest.mark.sqlite_only  # SQLite's whole-database write lock; PostgreSQL locks rows and forums
@pytest.mark.parametrize("mode", ["EXCLUSIVE", "IMMEDIATE"])
def test_an_outside_write_lock_holds_up_neither_pages_nor_healthz_and_a_registration_is_asked_again(
        app, client, database_url, mode):
    app.config["LOCK_TIMEOUT_SECONDS"] = 1
    with app.app_context():
        forum_id = factories.forum().id
    register = f"/sv/forums/{forum_id}/register"
    token = csrf_token_from(client.get(register).get_data(as_text=True))
    with another_process_holding_the_write_lock(database_url, mode):
        for page in ("/sv/", "/sv/forums/", f"/sv/forums/{forum_id}", register, f"/ar/forums/{forum_id}",
                     "/api/v1/forums"):
            assert client.get(page).status_code == 200, page
        health = client.get("/healthz", headers=MONITOR)
        assert health.status_code == 503
        assert health.json["status"] == "degraded" and health.json["failed"] == ["database_write"]
        assert health.json["checks"]["database"] == "ok"
        assert health.json["checks"]["database_write"].startswith("failed: busy")
        response = client.post(register, data={**FORM, "csrf_token": token})
        html = response.get_data(as_text=True)
        assert response.status_code == 503 and response.headers["Retry-After"] == "30"
        assert "Många anmäler sig just nu. Inget har sparats än" in html
        assert 'value="Amal Haddad"' in html and 'value="amal@example.org"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
        assert db.session.scalar(select(func.count()).select_from(RateEvent)) == 0
    assert client.get("/healthz", headers=MONITOR).status_code == 200
    assert submit(client, register, FORM).status_code == 200  # the lock is free again: it goes through
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 1
