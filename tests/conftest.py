"""Fixtures: the same suite runs on SQLite and on a real PostgreSQL server started for the session.

Set ``FORUM_TEST_DATABASES=sqlite`` (or ``postgresql``) to run on one only while working; the
default, and CI, is both.
"""

from __future__ import annotations

import copy
import functools
import os
import re
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from forum_app import create_app
from forum_app.core.extensions import db

from .pg import Cluster


def pytest_collection_modifyitems(config, items):
    """Browser tests are slow tests too: ``PYTEST_ARGS="-m 'not slow'" make test`` leaves them out.
    A test marked ``postgresql_only`` is about the server itself: it is not collected for SQLite
    (rather than skipped, so that every test the run reports has run); ``sqlite_only``, about SQLite's
    file locking, is not collected for PostgreSQL; ``one_database``, about something no database
    changes (a PDF's fonts), is collected for :data:`ONE_DATABASE` only. So are the browser tests: they
    check what a person sees and does (layout, accessibility, each journey's pages), while the code under
    them is tested on both databases by the tests through Flask's client; on both they were half the
    whole suite's time."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.one_database)
    other_copies = [item for item in items if getattr(item, "callspec", None) and (
        (item.get_closest_marker("postgresql_only") and item.callspec.params.get("database_url") == "sqlite")
        or (item.get_closest_marker("sqlite_only") and item.callspec.params.get("database_url") == "postgresql")
        or (item.get_closest_marker("one_database") and item.callspec.params.get("database_url") != ONE_DATABASE))]
    if other_copies:
        config.hook.pytest_deselected(items=other_copies)
        items[:] = [item for item in items if item not in other_copies]


BACKENDS = [b for b in os.environ.get("FORUM_TEST_DATABASES", "sqlite,postgresql").split(",") if b]
# Where a test about something no database changes runs: the production database when the run has it.
ONE_DATABASE = "postgresql" if "postgresql" in BACKENDS else BACKENDS[0]


def pytest_configure(config):
    """``FORUM_TEST_NOW=2026-12-31T23:30+01:00`` runs the whole session with the clock moved there (and
    ticking): ``make test-dates`` runs the suite on 31 December, 29 February and both nights the clocks
    change, so that no test passes only on the days it was written."""
    moment = os.environ.get("FORUM_TEST_NOW")
    if moment:
        import time_machine

        config._forum_clock = time_machine.travel(moment, tick=True)
        config._forum_clock.start()


def pytest_terminal_summary(terminalreporter):
    if SharedApp.built:
        terminalreporter.write_line(f"apps built for the shared app fixture: {SharedApp.built}")


def pytest_report_header(config):
    moment = os.environ.get("FORUM_TEST_NOW")
    return f"clock moved to {moment} (FORUM_TEST_NOW)" if moment else None


@pytest.fixture
def clock():
    """Fix the clock for one test: ``clock("2027-04-15T10:00+02:00")`` (ticking from there)."""
    import time_machine

    travellers = []

    def move(moment: str):
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        travellers.append(traveller)

    yield move
    for traveller in reversed(travellers):
        traveller.stop()


@pytest.fixture(scope="session")
def pg_cluster():
    cluster = Cluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A migrated, empty database for the whole session, one per backend. The SQLite file is in memory
    (tmpfs) where the machine has one: SQLite's locking and WAL work there as on a disk, without the
    disk's syncs, which were most of the time the suite spent waiting."""
    import shutil
    import tempfile

    folder = None
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_cluster").create_database("forum_test")
    else:
        in_memory = os.path.isdir("/dev/shm")
        folder = tempfile.mkdtemp(dir="/dev/shm", prefix="forum-test-") if in_memory else tmp_path_factory.mktemp("sqlite")
        url = f"sqlite:///{folder}/forum.sqlite3"
    app = create_app(_test_config(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    yield url
    if folder is not None and str(folder).startswith("/dev/shm/"):
        shutil.rmtree(folder, ignore_errors=True)


HEALTHZ_TOKEN = "test-health-token"
MONITOR = {"Authorization": f"Bearer {HEALTHZ_TOKEN}"}  # headers of a monitor that may see /healthz's details


def _test_config(url: str, instance) -> dict:  # noqa: ANN001
    return {
        "TESTING": True,
        "DATABASE_URL": url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "INSTANCE_PATH": str(instance),
        "MAIL_OUTBOX": str(instance / "outbox"),
        "MAIL_SERVER": "",
        # The attempt right after a commit runs before the request returns (not in a thread), so a
        # test sees the email at once; the outbox tests switch it to "background" or "off".
        "MAIL_AFTER_COMMIT": "inline",
        "CITY_NAME": "Exempelstad",
        "BASE_URL": "http://localhost",
        "HEALTHZ_TOKEN": HEALTHZ_TOKEN,
        # scrypt is most of a login's CPU; the production default is checked in tests/accounts/test_login.py.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }


def _empty_all_tables() -> None:
    """Every table emptied and every id counting from 1 again, as on a new database. On PostgreSQL
    the rows are deleted and the sequences set back in one round trip: TRUNCATE gives each of the
    fifty-odd tables a new file, which made it 60 ms a test, a quarter of the PostgreSQL run."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        db.session.connection().exec_driver_sql(_postgresql_emptying(tuple(t.name for t in tables)))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@functools.cache
def _postgresql_emptying(tables: tuple[str, ...]) -> str:
    deletes = "".join(f'DELETE FROM "{name}";' for name in tables)
    return (f"{deletes} SELECT setval(c.oid, 1, false) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'S' AND n.nspname = current_schema()")


class SharedApp:
    """One application for all the tests of a backend, as Indico's ``testing/fixtures/app.py`` does:
    building one costs a quarter of a second of CPU (werkzeug compiles 133 rules) and a new one compiles
    every template again, which made up half the suite's time when every test built its own.

    Each test gets it back as a new one would be: :meth:`fresh_for` puts back the configuration it was
    built with (a deep copy, so a test that changed a list in it changed nothing for the next), gives it
    the test's own folder (instance, outbox), forgets what it keeps per application (the shared page
    parts, the addresses and catalogues of a page) and the throttle's last prune, and empties the
    tables. A test that changes what a configuration cannot put back (adds a route, a hook, an
    extension) leaves an app that :meth:`release` sees differs from its :func:`_shape`: it is
    dropped, and the next test gets a new one."""

    built = 0  # apps built in this process: the terminal summary reports it

    def __init__(self, url: str, instance) -> None:  # noqa: ANN001
        self.url, self.instance = url, instance
        self.app = None

    def fresh_for(self, tmp_path):  # noqa: ANN001, ANN201 - a Flask app
        from forum_app.core import throttle

        if self.app is None:
            self.app = create_app(_test_config(self.url, self.instance))
            SharedApp.built += 1
            self.config, self.shape = copy.deepcopy(dict(self.app.config)), _shape(self.app)
        app = self.app
        app.config.clear()
        app.config.update(copy.deepcopy(self.config), INSTANCE_PATH=str(tmp_path),
                          MAIL_OUTBOX=str(tmp_path / "outbox"))
        app.instance_path = str(tmp_path)
        app._got_first_request = False  # noqa: SLF001 - as a new app: a test may still add a route (Indico does the same)
        for per_app in ("shared_page_parts", "remembered_urls", "page_catalogues"):
            app.extensions[per_app].clear()
        throttle.forget_last_prune()
        with app.app_context():
            _empty_all_tables()
        return app

    def release(self, outage: bool) -> None:
        app = self.app
        _wait_for_attempts()
        with app.app_context():
            db.session.remove()  # its connections go back to the pool, rolled back
            if outage:  # the pool's connections are to a server that has since stopped
                db.engine.dispose()
        if _shape(app) != self.shape:
            self.app = None

    def close(self) -> None:
        if self.app is not None:
            with self.app.app_context():
                db.engine.dispose()


def _shape(app) -> tuple:  # noqa: ANN001
    """What a test could change in an app besides its configuration, and the next test would inherit."""
    # Flask's hook tables are defaultdicts that gain an empty entry when a blueprint's is looked up.
    hooks = [{key: tuple(value) for key, value in table.items() if value}
             for table in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs,
                           app.url_value_preprocessors, app.url_default_functions, app.template_context_processors)]
    error_handlers = {(blueprint, code, kind): handler for blueprint, codes in app.error_handler_spec.items()
                      for code, kinds in codes.items() for kind, handler in kinds.items()}
    return (tuple(rule.rule for rule in app.url_map.iter_rules()), tuple(app.view_functions.items()),
            tuple(sorted(app.blueprints)), tuple(sorted(app.extensions)), hooks, error_handlers,
            tuple(app.teardown_appcontext_funcs),
            tuple(app.jinja_env.globals), tuple(app.jinja_env.filters), app.jinja_env.auto_reload,
            app.wsgi_app, app.session_interface, app.json)


def _wait_for_attempts() -> None:
    """A test that sends in the background ("background" after the commit) may end with its attempt
    still sending: it finishes before the next test empties the tables under it."""
    import threading

    for thread in threading.enumerate():
        if thread.name == "outbox-attempt":
            thread.join(timeout=30)


@pytest.fixture(scope="session")
def shared_app(database_url, tmp_path_factory):
    shared = SharedApp(database_url, tmp_path_factory.mktemp("instance"))
    yield shared
    shared.close()


@pytest.fixture
def app(shared_app, tmp_path, request):
    """The session's app for this backend, as new: its configuration as built (change it freely, it is
    put back), ``tmp_path`` its instance folder and outbox, every table empty."""
    yield shared_app.fresh_for(tmp_path)
    shared_app.release(outage="pg_cluster" in request.fixturenames)


class DemoCopy:
    """The demo data as ``flask demo`` leaves it, made once per backend and process and copied back in for
    each test that starts from it: the demo writes some 2,000 rows through the services (0.5 s on SQLite,
    more on PostgreSQL), copying them back in is one insert per table. ``tests/site/test_demo.py`` runs
    the command itself. The demo is dated from the day it is made: a session that runs past midnight
    makes it again."""

    def __init__(self) -> None:
        self.rows: dict | None = None
        self.day = None

    def load_into(self, app) -> None:  # noqa: ANN001
        from forum_app.core.timeutil import city_today

        tables = db.metadata.sorted_tables
        with app.app_context():
            if self.rows is None or self.day != city_today():
                self.day = city_today()
                result = app.test_cli_runner().invoke(args=["demo"])
                assert result.exit_code == 0, result.output
                self.rows = {table: db.session.execute(table.select().order_by(*table.primary_key)).mappings().all()
                             for table in tables}  # in id order: a row may point to an earlier one of its table
                db.session.rollback()
                return
            connection = db.session.connection()
            for table in tables:
                if not self.rows[table]:
                    continue
                connection.execute(table.insert(), [dict(row) for row in self.rows[table]])
                if db.engine.dialect.name == "postgresql" and "id" in table.c:  # the next id after the copied ones
                    connection.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), max(id)) FROM \"{table.name}\"")
            db.session.commit()


@pytest.fixture(scope="session")
def demo_copy(database_url):  # one per backend: the session fixture it hangs on is parametrised
    return DemoCopy()


@pytest.fixture
def demo(app, demo_copy):
    """The app with the demo data in it (``flask demo``), as the site's first run has it."""
    demo_copy.load_into(app)
    return app


@pytest.fixture
def make_app(database_url, tmp_path):
    """``make_app(SETTING=value)``: an app of its own, built with these settings, for a test about what is
    decided at start-up (the ``app`` fixture's settings can only be changed after). It uses the backend's
    database as it is (ask for ``app`` too to have it emptied)."""
    built = []

    def make(**settings):  # noqa: ANN202 - a Flask app
        new = create_app({**_test_config(database_url, tmp_path), **settings})
        built.append(new)
        return new

    yield make
    for new in built:
        with new.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(autouse=True)
def every_staff_change_is_audited():
    """The audit trail by construction (tests/audit_check.py): a staff request that commits a change to a
    staff-managed model without an AuditEvent in the same transaction fails the test."""
    from .audit_check import AuditCheck

    check = AuditCheck()
    check.install()
    yield check
    check.remove()
    assert check.missing == [], f"staff changes committed without an audit event: {check.missing}"


@pytest.fixture
def backend(database_url) -> str:
    return "postgresql" if database_url.startswith("postgresql") else "sqlite"


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


def private_link(app, address: str, smtp=None) -> str:  # noqa: ANN001
    """The private link (its path) in the newest email to ``address``, from the test's SMTP server or the
    file outbox. The answer to a registration with an email address never shows the link
    (``registrations.services.Registered``): only the owner of the address gets it."""
    from email import message_from_bytes, policy
    from pathlib import Path

    if smtp is not None:
        messages = smtp.to(address)
    else:
        files = sorted(Path(app.config["MAIL_OUTBOX"]).glob("*.eml"), key=lambda f: f.stat().st_mtime_ns)
        messages = [m for m in (message_from_bytes(f.read_bytes(), policy=policy.default) for f in files)
                    if m["To"] == address]
    for message in reversed(messages):
        found = re.search(r"https?://[^/\s]+(/\w\w/registration/[A-Za-z0-9_-]{20,})",
                          message.get_body(("plain",)).get_content())
        if found:
            return found.group(1)
    raise AssertionError(f"no email with a private link to {address}")


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def submit(client, url: str, data: dict, *, page: str | None = None, **kwargs):  # noqa: ANN001
    """Post a form as a browser would: first load the page to get its CSRF token (the public
    subscribe and follow forms have none: see forum_app/public_forms.py)."""
    html = client.get(page or url).get_data(as_text=True)
    token = CSRF_RE.search(html)
    return client.post(url, data={**data, **({"csrf_token": token.group(1)} if token else {})}, **kwargs)


@pytest.fixture
def make_user(app):
    """Create a user in a context of its own (a test that holds an app context open would share
    its session with the requests it makes, which real requests never do)."""
    from forum_app.accounts.services import create_user

    def make(email: str = "staff@example.org", role: str = "admin", password: str = "correct horse battery"):
        with app.app_context():
            user = create_user(email, role, password, name=email.split("@")[0])
            db.session.refresh(user)
            db.session.expunge(user)
        return user

    return make


@pytest.fixture
def login(client, make_user):
    """Log in a fresh user of the given role through the real login form."""

    def do_login(role: str = "admin", email: str | None = None, password: str = "correct horse battery"):
        user = make_user(email or f"{role}@example.org", role, password)
        response = submit(client, "/sv/login", {"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return do_login


@pytest.fixture
def count_queries(app):
    """``with count_queries() as n: ...`` then ``n()`` is the number of SQL statements run."""

    @contextmanager
    def counter():
        statements: list[str] = []

        def record(conn, cursor, statement, *args):  # noqa: ANN001
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
                statements.append(statement)

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield lambda: len(statements)
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counter


class SMTPRecorder:
    """A real SMTP server on loopback (aiosmtpd) that keeps every message it accepts.

    Tests can slow it down (``delay``), make it answer with an error for some recipients
    (``refuse``: address -> SMTP reply, once or always), or make it stall on the Nth message
    (``stall_at``) so that the sender can be killed while it waits for the reply. A message counts
    as delivered only if the sender was still connected to receive the 250. ``connections`` counts the
    connections that greeted it (a client says EHLO once per connection).
    """

    def __init__(self) -> None:
        import threading

        self.messages: list = []
        self.delay = 0.0
        self.refuse: dict[str, str] = {}
        self.refuse_once = True
        self.stall_at: int | None = None
        self.stalled = threading.Event()
        self.seen = 0
        self.before_accepting = None  # called with the envelope when a message's DATA has ended
        self.connections = 0

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: ANN001, ANN201, ARG002, N802
        self.connections += 1
        session.host_name = hostname  # what aiosmtpd does itself when there is no hook
        return responses

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, N802 - aiosmtpd's hook name
        import asyncio
        from email import message_from_bytes, policy

        self.seen += 1
        if self.before_accepting is not None:
            self.before_accepting(envelope)
        if self.delay:
            await asyncio.sleep(self.delay)
        recipient = envelope.rcpt_tos[0] if envelope.rcpt_tos else ""
        if recipient in self.refuse:
            reply = self.refuse.pop(recipient) if self.refuse_once else self.refuse[recipient]
            return reply
        if self.stall_at is not None and self.seen == self.stall_at:
            self.stalled.set()
            for _ in range(100):  # wait for the test to kill the sender
                await asyncio.sleep(0.05)
                if session.transport is None or session.transport.is_closing():
                    return "421 gone"  # the sender never got a 250: not delivered
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp(app):
    from aiosmtpd.controller import Controller

    from .pg import free_port

    recorder = SMTPRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    yield recorder
    controller.stop()


@pytest.fixture(scope="session")
def kannel_server(tmp_path_factory):
    """Kannel (bearerbox + smsbox) with its fakesmsc as the operator, started for the session by the first test
    that asks for ``kannel`` (tests/kannel.py)."""
    from .kannel import Kannel

    server = Kannel(tmp_path_factory.mktemp("kannel")).start()
    yield server
    server.stop()


@pytest.fixture
def kannel(kannel_server):
    """The session's Kannel, up, with what earlier tests sent forgotten: ``kannel.received()``,
    ``kannel.wait_for(n)``, ``kannel.stop_smsbox()`` / ``start_smsbox()``, ``kannel.settings()`` for the app."""
    kannel_server.ensure_running()
    kannel_server.clear()
    return kannel_server


@pytest.fixture
def flask_process(app, database_url, tmp_path):
    """``flask_process("mail", "send-due", MAIL_BATCH_SIZE="50")``: the app's command line as a process of its
    own on this test's database and mail server (ask for ``smtp`` first), its output in ``process.log``.
    One still running at the end of the test is killed."""
    import subprocess
    import sys
    from pathlib import Path

    started = []

    def start(*args: str, **settings: str) -> subprocess.Popen:
        with app.app_context():
            db.engine.dispose()  # the process opens connections of its own
        env = {**os.environ, "DATABASE_URL": database_url, "FORUM_INSTANCE_PATH": str(tmp_path),
               "SECRET_KEY": app.config["SECRET_KEY"], "BASE_URL": "http://localhost",
               "MAIL_SERVER": app.config["MAIL_SERVER"], "MAIL_PORT": str(app.config["MAIL_PORT"]), **settings}
        log = tmp_path / f"process-{len(started)}.log"  # a file, not a pipe nobody reads that could fill up
        with log.open("w") as output:
            process = subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "forum_app", *args],
                                       cwd=Path(__file__).resolve().parents[1], env=env, stdout=output,
                                       stderr=subprocess.STDOUT)
        process.log = log
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def wait_until(condition, seconds: float = 120, what: str = "") -> None:  # noqa: ANN001
    """Poll ``condition()`` until it is true; fail the test after ``seconds``."""
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting after {seconds} s: {what}")
        time.sleep(0.01)


@pytest.fixture
def no_smtputf8(monkeypatch):
    """The mail server behaves as one that does not offer SMTPUTF8 (aiosmtpd offers it)."""
    import smtplib

    real = smtplib.SMTP.has_extn
    monkeypatch.setattr(smtplib.SMTP, "has_extn", lambda self, name: name != "smtputf8" and real(self, name))
