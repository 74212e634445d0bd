"""Upgrades never lose data: a database at every past revision, with rows in every table, upgrades to the
head with every row and every reference as it was; downgrades step by step keep the rows of every table
they leave; a released migration is never edited; a downgrade that would drop unsent mail refuses.

Each database here is one of its own (an SQLite file, or a PostgreSQL database on the session's
cluster), not the session's migrated one.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from werkzeug.security import generate_password_hash

from forum_app import create_app
from forum_app.core.extensions import db

from .conftest import BACKENDS, _test_config, submit

ROOT = Path(__file__).resolve().parents[1]
MIGRATIONS = ROOT / "migrations"
REVISIONS = [script.revision for script in reversed(list(ScriptDirectory(str(MIGRATIONS)).walk_revisions()))]
HEAD = REVISIONS[-1]

# Tables an upgrade drops on purpose, with their rows (0008: failed logins are counted in rate_event, open
# core-team invitations are sent again as password links).
DROPPED_BY_UPGRADES = {"login_failure", "coreteam_invitation"}


@pytest.fixture(scope="module")
def migration_apps() -> dict:
    return {}


@pytest.fixture(params=BACKENDS)
def empty_app(request, tmp_path_factory, migration_apps):
    """The app on an empty database that no migration has touched yet. One app per backend serves the
    module (building one is a quarter of a second of CPU, and there are sixty of these tests); its database
    is made new under it for each test: the SQLite file removed, the PostgreSQL database dropped and created."""
    backend = request.param
    if backend not in migration_apps:
        folder = tmp_path_factory.mktemp(f"migrations-{backend}")
        url = (request.getfixturevalue("pg_cluster").url("migrations_test") if backend == "postgresql"
               else f"sqlite:///{folder / 'forum.sqlite3'}")
        migration_apps[backend] = (create_app(_test_config(url, folder)), folder)
    app, folder = migration_apps[backend]
    if backend == "postgresql":
        request.getfixturevalue("pg_cluster").create_database("migrations_test")
    else:
        for name in ("forum.sqlite3", "forum.sqlite3-wal", "forum.sqlite3-shm"):
            (folder / name).unlink(missing_ok=True)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()  # its connections were to this test's database


# --- rows in every table, as the schema of the revision has them ----------------------------------------


def seed_every_table(rows: int = 3, more: dict[str, int] | None = None) -> dict[str, int]:
    """Fill every table of the database as it is now (any revision) with plain INSERTs: ``rows`` rows each
    (``more`` for some), every column filled, row i of a table referring to row i of each table it refers to
    (nullable references too: those are what ON DELETE SET NULL empties). Returns the rows per table."""
    metadata = sa.MetaData()
    counts: dict[str, int] = {}
    with db.engine.begin() as connection:
        metadata.reflect(connection)
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            counts[table.name] = (more or {}).get(table.name, rows)
            connection.execute(table.insert(), [{column.name: _value(table, column, i, counts)
                                                 for column in table.columns}
                                                for i in range(1, counts[table.name] + 1)])
            if connection.dialect.name == "postgresql" and "id" in table.primary_key.columns:
                # the ids were given: the sequence goes on after them
                connection.execute(sa.text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                           f"(SELECT max(id) FROM {table.name}))"))
    return counts


def _value(table: sa.Table, column: sa.Column, i: int, counts: dict[str, int]):
    if column.foreign_keys:
        parent = next(iter(column.foreign_keys)).column.table.name
        if parent == table.name:  # a row refers to the one before it (the first to none, or to itself)
            return (i - 1 or None) if column.nullable else i
        return (i - 1) % counts[parent] + 1
    if column.primary_key:
        return i
    model = db.metadata.tables.get(table.name)
    model_type = model.columns[column.name].type if model is not None and column.name in model.columns else None
    kind = column.type
    if isinstance(model_type, sa.Enum):
        return model_type.enums[(i - 1) % len(model_type.enums)]
    if isinstance(kind, sa.JSON):
        if type(model_type).__name__ == "TranslatedText":
            return {"sv": f"{column.name} {i}", "ar": f"{column.name} {i} ع"}
        default = model.columns[column.name].default if model_type is not None else None
        if default is not None and default.arg is list:
            return []
        return sa.null() if column.nullable else {}  # SQL NULL: a JSON column would store None as 'null'
    if isinstance(kind, sa.Boolean):
        return i % 2 == 1
    if isinstance(kind, sa.Integer):
        return i
    if isinstance(kind, sa.Numeric):
        return Decimal(f"{i}.50")
    if isinstance(kind, sa.DateTime):
        return datetime(2027, 3, i % 28 + 1, 10, 30, tzinfo=UTC)
    if isinstance(kind, sa.Date):
        return date(2027, 3, i % 28 + 1)
    if isinstance(kind, sa.LargeBinary):
        return f"{column.name} {i}".encode()
    if "email" in column.name:
        return f"{table.name}{i}@example.org"
    length = getattr(kind, "length", None) or 200
    return f"{column.name[:max(length - 4, 1)]} {i}"


def snapshot() -> dict[str, dict[tuple, dict]]:
    """Every row of every table, by primary key, as the driver reads it: only the tables' names and keys are
    looked up (a full reflection, with every constraint and index, was most of these tests' time)."""
    with db.engine.connect() as connection:
        inspector = sa.inspect(connection)
        tables = {}
        for name in inspector.get_table_names():
            if name == "alembic_version":
                continue
            key = inspector.get_pk_constraint(name)["constrained_columns"]
            rows = connection.execute(sa.text(f'SELECT * FROM "{name}"')).mappings()
            tables[name] = {tuple(row[column] for column in key): dict(row) for row in rows}
        return tables


def assert_every_row_kept(before: dict, after: dict, dropped: set[str] = frozenset()) -> None:
    """Every row of every table that is still there is still there, with the same values in the columns it
    still has (its references above all)."""
    for table, rows in before.items():
        if table not in after:
            assert table in dropped, f"the table {table} disappeared with its {len(rows)} rows"
            continue
        lost = rows.keys() - after[table].keys()
        assert not lost, f"{table}: {len(lost)} of {len(rows)} rows lost ({sorted(lost)[:5]})"
        assert len(after[table]) == len(rows), f"{table}: rows appeared"
        for key, row in rows.items():
            now = after[table][key]
            changed = {c: (v, now[c]) for c, v in row.items() if c in now and now[c] != v}
            assert not changed, f"{table} row {key} changed: {changed}"


def assert_schema_is_what_the_models_describe() -> None:
    with db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                       db.metadata)
    assert differences == []


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


# --- the migration test -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("revision", REVISIONS[:-1])
def test_upgrading_from_a_past_revision_keeps_every_row_and_reference(empty_app, revision):
    upgrade(revision=revision)
    counts = seed_every_table()
    before = snapshot()
    assert {t: len(rows) for t, rows in before.items()} == counts

    upgrade()

    assert current_revision() == HEAD
    assert_every_row_kept(before, snapshot(), dropped=DROPPED_BY_UPGRADES)
    assert_schema_is_what_the_models_describe()


@pytest.mark.slow
def test_downgrading_step_by_step_keeps_the_rows_of_every_table_that_stays_then_upgrades_again(empty_app):
    tables_at: dict[str | None, set[str]] = {None: set()}
    for revision in REVISIONS:
        upgrade(revision=revision)
        tables_at[revision] = set(snapshot())
    seed_every_table()

    for revision, below in reversed(list(zip(REVISIONS, [None, *REVISIONS[:-1]]))):
        before = snapshot()
        downgrade(revision=below or "base")
        after = snapshot()
        assert set(after) == tables_at[below], f"{revision} -> {below}"
        assert_every_row_kept(before, after, dropped=tables_at[revision] - tables_at[below])
    assert current_revision() is None

    upgrade()
    assert current_revision() == HEAD
    assert_schema_is_what_the_models_describe()


@pytest.mark.slow
def test_a_database_made_by_the_first_release_keeps_its_48_registrations(empty_app):
    """Commit b27eebe (revision 0002) with its demo data: four forums, 48 registrations, forum partners and
    budget lines. Upgrading SQLite used to delete every registration and partner (0010 rebuilt the forum
    table with foreign keys on)."""
    upgrade(revision="0002")
    seed_every_table(rows=4, more={"registration": 48, "budget_line": 8, "organisation": 6, "forum_partner": 5})

    upgrade()

    counts = {table: db.session.execute(sa.text(f"SELECT count(*), count(forum_id) FROM {table}")).one()
              for table in ("registration", "forum_partner", "budget_line")}
    assert counts == {"registration": (48, 48), "forum_partner": (5, 5), "budget_line": (8, 8)}


# --- a migration that would leave broken references is rolled back (SQLite; PostgreSQL refuses itself) ---


@pytest.mark.slow
def test_a_migration_that_leaves_a_broken_reference_is_rolled_back_and_names_the_rows(tmp_path):
    """SQLite only: PostgreSQL checks every reference itself, foreign keys are never off there."""
    directory = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, directory)
    (directory / "versions" / "9999_break.py").write_text(
        f"from alembic import op\nrevision = '9999'\ndown_revision = '{HEAD}'\n\n\n"
        "def upgrade():\n    op.execute('DELETE FROM forum')\n")
    app = create_app(_test_config(f"sqlite:///{tmp_path / 'forum.sqlite3'}", tmp_path))
    with app.app_context():
        upgrade()
        seed_every_table()
        config = app.extensions["migrate"].migrate.get_config(str(directory))

        with pytest.raises(RuntimeError, match=r"9999 was rolled back: .*registration rows 1, 2, 3 \(3 in all\) "
                                               "refer to forum rows that do not exist"):
            command.upgrade(config, "head")

        assert current_revision() == HEAD
        assert db.session.execute(sa.text("SELECT count(*) FROM forum")).scalar() == 3
        assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1  # as the pool had it
        db.session.remove()
        db.engine.dispose()


# --- released databases that older versions of 0008 and 0016 made ----------------------------------------


@contextmanager
def operations():
    """Alembic's operations on a connection of their own, SQLite's foreign keys off as in migrations/env.py
    (a table rebuilt with them on would empty the tables that refer to it)."""
    with db.engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield Operations(MigrationContext.configure(connection))
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


@pytest.mark.slow
def test_a_database_made_before_0008_gained_session_versions_is_repaired_and_staff_can_log_in(empty_app):
    """Commit 6734ca8 made databases at 0009 whose 0008 had no session_version, no password_link and still
    the coreteam_invitation table (0008 was edited afterwards, in 922d610)."""
    upgrade(revision="0009")
    seed_every_table()
    with operations() as op:
        op.drop_table("password_link")
        with op.batch_alter_table("user_account") as batch_op:
            batch_op.drop_column("session_version")
        op.create_table("coreteam_invitation", sa.Column("id", sa.Integer(), primary_key=True),
                        sa.Column("member_id", sa.Integer(), sa.ForeignKey("coreteam_member.id", ondelete="CASCADE"),
                                  nullable=False),
                        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
                        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
                        sa.Column("used_at", sa.DateTime(timezone=True)))
    db.session.execute(sa.text("UPDATE user_account SET email = 'staff@example.org', role = 'admin', active = :yes, "
                               "password_hash = :hash WHERE id = 1"),
                       {"yes": True, "hash": generate_password_hash("correct horse battery")})
    db.session.commit()
    before = snapshot()

    upgrade()

    after = snapshot()
    client = current_app.test_client()
    response = submit(client, "/sv/login", {"email": "staff@example.org", "password": "correct horse battery"})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.get("/sv/admin/users/").status_code == 200
    assert_every_row_kept(before, after, dropped={"coreteam_invitation"})
    assert_schema_is_what_the_models_describe()


@pytest.mark.slow
def test_a_database_made_by_the_first_0016_keeps_which_topic_each_proposal_became(empty_app):
    """Commit dace875's 0016 linked a topic to its proposal (topic.proposal_id); 0016 now links the proposal
    to its topic (proposal.topic_id)."""
    upgrade(revision="0016")
    seed_every_table()
    with operations() as op:
        with op.batch_alter_table("proposal") as batch_op:
            batch_op.drop_constraint("fk_proposal_topic_id_topic", type_="foreignkey")
            batch_op.drop_constraint("uq_proposal_topic_id", type_="unique")
            batch_op.drop_column("topic_id")
        with op.batch_alter_table("topic") as batch_op:
            batch_op.add_column(sa.Column("proposal_id", sa.Integer(), nullable=True))
            batch_op.create_foreign_key("fk_topic_proposal_id_proposal", "proposal", ["proposal_id"], ["id"],
                                        ondelete="SET NULL")
        op.execute("UPDATE topic SET proposal_id = 4 - id")  # topic 1 came from proposal 3, 2 from 2, 3 from 1
    before = snapshot()

    upgrade()

    after = snapshot()
    assert_every_row_kept(before, after)
    assert {key: row["topic_id"] for key, row in after["proposal"].items()} == {(1,): 3, (2,): 2, (3,): 1}
    assert_schema_is_what_the_models_describe()


# --- a downgrade that would drop unsent mail refuses unless forced --------------------------------------


@pytest.mark.slow
def test_the_downgrade_that_would_drop_unwritten_confirmations_refuses_unless_forced(empty_app, tmp_path):
    upgrade()
    db.session.execute(sa.text(
        "INSERT INTO outbox_message (recipient, subject, message, status, tries, next_try_at, last_error, created_at, "
        "recipe) VALUES ('amal@example.org', 'Bekräftelse', :empty, 'waiting', 0, :now, '', :now, :recipe)"),
        {"empty": b"", "now": datetime(2027, 3, 1, tzinfo=UTC), "recipe": '{"kind": "confirmation"}'})
    db.session.commit()
    env = {**os.environ, "FLASK_APP": "forum_app", "FORUM_INSTANCE_PATH": str(tmp_path),
           "DATABASE_URL": db.engine.url.render_as_string(hide_password=False)}
    flask = [str(Path(sys.executable).parent / "flask"), "db", "downgrade"]

    refused = subprocess.run([*flask, "0020"], env=env, capture_output=True, text=True, check=False)

    assert refused.returncode == 1
    assert "1 message(s) in the outbox (confirmations) are still to be written" in refused.stderr
    assert "flask db downgrade -x force=yes" in refused.stderr
    db.session.rollback()
    # SQLite commits each migration on its own (0022's downgrade stays done), PostgreSQL all of them at once
    assert current_revision() == ("0021" if db.engine.dialect.name == "sqlite" else HEAD)
    assert db.session.execute(sa.text("SELECT count(*) FROM outbox_message")).scalar() == 1
    db.session.rollback()

    forced = subprocess.run([*flask, "-x", "force=yes", "0020"], env=env, capture_output=True, text=True, check=False)

    assert forced.returncode == 0, forced.stderr
    assert current_revision() == "0020"
    assert db.session.execute(sa.text("SELECT count(*) FROM outbox_message")).scalar() == 0


# --- a released migration is never edited ----------------------------------------------------------------


def test_a_released_migration_is_never_edited():
    """migrations/released.sha256 lists every migration as it was released (``sha256sum`` format). A change a
    released database needs is a new migration; a new migration adds its line in the commit that adds it."""
    listed = {}
    for line in (MIGRATIONS / "released.sha256").read_text().splitlines():
        digest, name = line.split()
        listed[name] = digest
    files = {path.name: hashlib.sha256(path.read_bytes()).hexdigest()
             for path in (MIGRATIONS / "versions").glob("*.py")}
    edited = sorted(name for name in files.keys() & listed.keys() if files[name] != listed[name])
    assert not edited, f"released migrations were edited (write a new one instead): {edited}"
    assert not listed.keys() - files.keys(), f"released migrations were deleted: {sorted(listed.keys() - files.keys())}"
    new = sorted(files.keys() - listed.keys())
    assert not new, (f"new migrations are not in migrations/released.sha256: {new}; add them with "
                     f"`cd migrations/versions && sha256sum {' '.join(new)} >> ../released.sha256`")
