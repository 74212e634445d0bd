"""PostgreSQL stopped and started again, and a capacity lock held too long: a page that says so, never a 500."""

import time

import pytest
from flask import request_finished
from sqlalchemy import func, select

from forum_app.core import database
from forum_app.core.extensions import db
from forum_app.registrations.models import Registration

from .. import factories
from ..conftest import MONITOR, submit

FORM = {"name": "Amal Haddad", "email": "amal@example.org", "spoken_language": "ar", "interpretation": "",
        "consent": "y"}


@pytest.mark.slow
@pytest.mark.postgresql_only  # SQLite has no server to stop and no lock_timeout
def test_with_postgresql_stopped_pages_answer_503_and_serve_again_once_it_is_back(app, client, backend, pg_cluster):
    with app.app_context():
        forum_id = factories.forum().id
    assert client.get(f"/sv/forums/{forum_id}").status_code == 200  # the pool holds a connection now
    page = client.get(f"/sv/forums/{forum_id}/register").get_data(as_text=True)
    pg_cluster.halt()
    try:
        for lang, title in (("sv", "Tjänsten är inte tillgänglig just nu"), ("ar", "الخدمة غير متاحة للحظات")):
            response = client.get(f"/{lang}/forums/{forum_id}")
            html = response.get_data(as_text=True)
            assert response.status_code == 503, html
            assert f'<html lang="{lang}"' in html and title in html
            assert "Traceback" not in html and "OperationalError" not in html
        health = client.get("/healthz", headers=MONITOR)
        assert health.status_code == 503
        assert health.json["failed"] == ["database"] and health.json["checks"]["database"].startswith("failed")
        from ..conftest import csrf_token_from

        response = client.post(f"/sv/forums/{forum_id}/register", data={**FORM, "csrf_token": csrf_token_from(page)})
        assert response.status_code == 503
    finally:
        pg_cluster.resume()
    # No restart: the pool's pre-ping throws away the dead connections and opens new ones.
    assert client.get(f"/sv/forums/{forum_id}").status_code == 200
    assert client.get("/healthz", headers=MONITOR).status_code == 200
    assert submit(client, f"/sv/forums/{forum_id}/register", FORM).status_code == 200


@pytest.mark.postgresql_only  # lock_timeout is PostgreSQL's; SQLite's write lock: tests/site/test_outside_lock.py
def test_a_registration_waits_only_seconds_for_the_capacity_lock_then_asks_to_try_again(app, client, backend):
    app.config["LOCK_TIMEOUT_SECONDS"] = 1
    with app.app_context():
        forum_id = factories.forum().id
        engine = db.engine
    stuck = engine.connect()  # another request holds the forum's lock and does not let go
    stuck.execute(select(func.pg_advisory_xact_lock(database.advisory_lock_id(f"forum:{forum_id}"))))
    try:
        started = time.monotonic()
        response = submit(client, f"/sv/forums/{forum_id}/register", FORM)
        waited = time.monotonic() - started
    finally:
        stuck.rollback()
        stuck.close()
    html = response.get_data(as_text=True)
    assert response.status_code == 503 and waited < 10
    assert "Många anmäler sig just nu" in html and 'value="Amal Haddad"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    assert submit(client, f"/sv/forums/{forum_id}/register", FORM).status_code == 200  # the lock is free again


@pytest.mark.postgresql_only  # a server whose backend can be ended from outside
def test_a_connection_ended_by_the_server_before_the_request_ends_still_gives_the_page(app, client, backend):
    """PostgreSQL ends the request's connection (a restart, ``pg_terminate_backend``) after the page was
    written and before the session's rollback at the end of the request: the page stands, never the
    server's bare 500, and the next request is served on a fresh connection."""
    with app.app_context():
        forum_id = factories.forum().id
        engine = db.engine
    ended = []

    def end_the_connection(sender, response, **extra) -> None:  # noqa: ANN001, ANN003
        backend_pid = db.session.scalar(select(func.pg_backend_pid()))  # in the request's transaction
        with engine.connect() as other:  # waits (up to 10 s) until that backend has exited
            assert other.scalar(select(func.pg_terminate_backend(backend_pid, 10_000)))
        ended.append(backend_pid)

    request_finished.connect(end_the_connection, app)
    try:
        for page in (f"/sv/forums/{forum_id}/register", f"/ar/forums/{forum_id}"):
            response = client.get(page)
            assert response.status_code == 200, page
            assert "Traceback" not in response.get_data(as_text=True)
    finally:
        request_finished.disconnect(end_the_connection, app)
    assert len(ended) == 2
    assert client.get(f"/sv/forums/{forum_id}").status_code == 200  # a fresh connection from the pool
