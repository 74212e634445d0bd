"""/healthz tells the truth: the database answers a read and takes a write, and the instance folder has room;
503 names each check that failed."""

import sqlite3
from contextlib import closing

import pytest
from sqlalchemy.engine import make_url

from forum_app import create_app
from forum_app.core.extensions import db

from ..conftest import MONITOR, _test_config
from ..diskspace import full_disk  # noqa: F401 - a fixture


def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz", headers=MONITOR)
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["database"] is True
    assert response.json["failed"] == []
    assert response.json["checks"] == {"database": "ok", "database_write": "ok", "disk": "ok"}


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path):
    from tests.pg import free_port

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"})
    response = app.test_client().get("/healthz", headers=MONITOR)
    assert response.status_code == 503
    assert response.json["database"] is False and response.json["failed"] == ["database"]
    assert response.json["status"] == "unavailable"


def test_healthz_is_503_naming_the_disk_when_the_instance_folder_is_full(app, client, full_disk):  # noqa: F811
    """The instance folder on a full disk: a real 2 MB tmpfs filled to the last byte when the tests run as
    root (as in CI), else a disk whose free space reads 0 (tests/diskspace.py). The database (elsewhere)
    still takes writes, so only the disk check fails, and it says so."""
    app.instance_path = str(full_disk.folder)
    app.config["HEALTH_MIN_FREE_MB"] = 1
    assert client.get("/healthz", headers=MONITOR).status_code == 200
    full_disk.fill()
    response = client.get("/healthz", headers=MONITOR)
    assert response.status_code == 503
    assert response.json["status"] == "degraded" and response.json["failed"] == ["disk"]
    assert response.json["checks"]["database"] == "ok" and response.json["checks"]["database_write"] == "ok"
    assert response.json["checks"]["disk"].startswith("failed: 0 MB free in the instance folder")
    full_disk.empty()
    assert client.get("/healthz", headers=MONITOR).status_code == 200  # room again: healthy again, without a restart


@pytest.mark.sqlite_only  # the database file itself on the full disk
def test_healthz_is_503_naming_the_write_when_the_database_cannot_take_one(database_url, tmp_path, full_disk):  # noqa: F811
    """The SQLite database on a full disk: it answers reads, but a write cannot be committed. A real 2 MB
    tmpfs filled to the last byte when the tests run as root (as in CI); else SQLite's own writes cannot be
    refused from Python, and the disk that reads as full fails the disk check alone (tests/diskspace.py)."""
    # A compact copy of the session's (emptied) database: a plain copy carries every page the suite has
    # used so far, which can outgrow the 2 MB disk by the time this test runs.
    with closing(sqlite3.connect(make_url(database_url).database)) as source:
        source.execute("VACUUM INTO ?", (str(full_disk.folder / "forum.sqlite3"),))
    app = create_app({**_test_config(f"sqlite:///{full_disk.folder / 'forum.sqlite3'}", tmp_path),
                      "HEALTH_MIN_FREE_MB": 1})
    client = app.test_client()
    assert client.get("/healthz", headers=MONITOR).status_code == 200  # the database's -wal and -shm files exist now
    full_disk.fill()
    app.instance_path = str(full_disk.folder)
    response = client.get("/healthz", headers=MONITOR)
    assert response.status_code == 503 and response.json["checks"]["database"] == "ok"
    if full_disk.real:
        assert response.json["failed"] == ["database_write", "disk"]
        assert response.json["checks"]["database_write"] == "failed: OperationalError"
    else:
        assert response.json["failed"] == ["disk"]
    full_disk.empty()
    assert client.get("/healthz", headers=MONITOR).status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_a_stranger_sees_the_status_and_the_failed_checks_not_the_details(app, client, login):
    """Issue 32, L9: /healthz told anyone whether mail was failing or the scheduler silent."""
    anonymous = client.get("/healthz")
    assert anonymous.status_code == 200
    assert anonymous.json == {"status": "ok", "database": True, "failed": []}
    assert client.get("/healthz", headers={"Authorization": "Bearer a-wrong-token"}).json.keys() == \
        {"status", "database", "failed"}
    assert "warnings" in client.get("/healthz", headers=MONITOR).json
    login("official")
    assert "checks" in client.get("/healthz").json  # staff see the details
