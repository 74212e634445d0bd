"""Backup and restore: one file holding the database and the uploaded files.

``flask --app forum_app backup PATH`` writes a gzipped tar with

- ``manifest.json``: format, when, which database engine, the schema revision, the files;
- ``database.sqlite3`` (SQLite's online backup API: a consistent copy, safe while the site runs)
  or ``database.pgdump`` (``pg_dump --format=custom``);
- ``uploads/...``: the instance folder's uploads (forum result attachments).

``flask --app forum_app restore PATH`` puts both back exactly. It refuses to overwrite a database
that holds data unless given ``--force``. The scheduler can keep a nightly backup with rotation
(``BACKUP_DIR``, ``BACKUP_KEEP``; off while ``BACKUP_DIR`` is empty).
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url

from ..core import storage
from ..core.extensions import db

log = logging.getLogger(__name__)

FORMAT = "forum-app-backup/1"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
UPLOADS = "uploads"
NIGHTLY_PREFIX = "forum-backup-"
NIGHTLY_SUFFIX = ".tar.gz"


class BackupError(click.ClickException):
    """A backup or restore that cannot go on; the message says why and what to do."""


def _cannot_write(error: OSError | sqlite3.Error, done: str, where: Path | None = None) -> BackupError:
    """One line for a write the disk refused, instead of a traceback; ``done`` says where things stand."""
    where = getattr(error, "filename", None) or where
    place = f" ({where})" if where else ""
    if storage.is_disk_full(error) or getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
        return BackupError(f"No space left on the disk{place}. {done} Free some space, or choose another folder.")
    return BackupError(f"{getattr(error, 'strerror', None) or error}{place}. {done}")


# -- where things are ---------------------------------------------------------------------------

def _url() -> URL:
    return make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])


def _backend() -> str:
    backend = _url().get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {backend}.")
    return backend


def _sqlite_path() -> Path:
    database = _url().database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(database)


def uploads_folder() -> Path:
    """The instance folder's uploads (where the recommendations domain keeps attachments)."""
    return Path(current_app.instance_path) / UPLOADS


def _pg_tool(name: str) -> str:
    """The newest server's client from Debian's versioned folders, else the one on PATH.

    pg_dump refuses a server newer than itself, so the highest version wins.
    """
    versioned = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                       key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0)
    if versioned:
        return versioned[-1]
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client (Debian: postgresql-client).")
    return found


def _pg_connection() -> tuple[str, dict]:
    """A libpq connection string without the password, and the environment carrying it
    (so the password never shows in the process list)."""
    url = _url()
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _run(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip() or result.returncode}")


# -- backup -------------------------------------------------------------------------------------

def _schema_revision() -> str | None:
    try:
        return db.session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception:  # noqa: BLE001 - a database without migrations has no revision
        db.session.rollback()
        return None
    finally:
        db.session.commit()


def _dump_database(workdir: Path, backend: str) -> Path:
    if backend == "sqlite":
        target = workdir / SQLITE_MEMBER
        if not _sqlite_path().is_file():
            raise BackupError(f"No database at {_sqlite_path()}: nothing to back up.")
        source = sqlite3.connect(_sqlite_path())
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)  # page by page, consistent, other connections keep working
        finally:
            copy.close()
            source.close()
        return target
    target = workdir / PG_MEMBER
    dsn, env = _pg_connection()
    _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
          f"--file={target}", f"--dbname={dsn}"], env)
    return target


def _upload_files() -> list[Path]:
    folder = uploads_folder()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def create_backup(path: str | os.PathLike) -> Path:
    """Write one backup file at ``path`` (or, when ``path`` is a folder, a dated file inside it).

    A disk that refuses the writes (full, read-only) is a :class:`BackupError` naming it; no file is left."""
    try:
        return _create_backup(path)
    except (OSError, sqlite3.Error) as error:
        raise _cannot_write(error, "No backup was written.", Path(path)) from error


def _create_backup(path: str | os.PathLike) -> Path:
    backend = _backend()
    target = Path(path)
    if target.is_dir():
        target = target / f"{NIGHTLY_PREFIX}{datetime.now(timezone.utc):%Y%m%d-%H%M%S}{NIGHTLY_SUFFIX}"
    target.parent.mkdir(parents=True, exist_ok=True)
    revision = _schema_revision()
    with tempfile.TemporaryDirectory(prefix="forum-backup-") as tmp:
        dump = _dump_database(Path(tmp), backend)
        files = _upload_files()
        root = uploads_folder()
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "backend": backend,
            "schema_revision": revision,
            "database": dump.name,
            "uploads": [p.relative_to(root).as_posix() for p in files],
        }
        # Written next to the target and renamed at the end: a half-written file never has the
        # final name, so rotation and restore only ever see complete backups.
        handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
        os.close(handle)
        try:
            with tarfile.open(partial, "w:gz") as archive:
                data = json.dumps(manifest, indent=2).encode("utf-8")
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                info.mtime = int(datetime.now(timezone.utc).timestamp())
                archive.addfile(info, io.BytesIO(data))
                archive.add(dump, arcname=dump.name)
                for file in files:
                    archive.add(file, arcname=f"{UPLOADS}/{file.relative_to(root).as_posix()}")
            os.chmod(partial, 0o600)  # it holds personal data
            os.replace(partial, target)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return target


# -- restore ------------------------------------------------------------------------------------

def database_holds_data() -> bool:
    """True when any table but Alembic's bookkeeping has a row."""
    engine = db.engine
    with engine.connect() as connection:
        names = [n for n in inspect(connection).get_table_names() if n != "alembic_version"]
        for name in names:
            quoted = engine.dialect.identifier_preparer.quote(name)
            if connection.execute(text(f"SELECT 1 FROM {quoted} LIMIT 1")).first() is not None:
                return True
    return False


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.getmember("manifest.json")
        manifest = json.load(archive.extractfile(member))
    except (KeyError, ValueError, TypeError) as exc:
        raise BackupError("This file is not a forum backup (no readable manifest.json).") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}; expected {FORMAT}.")
    return manifest


def _safe_members(archive: tarfile.TarFile, manifest: dict) -> list[tarfile.TarInfo]:
    """Only the files the manifest names, as plain files under known names (no paths out of
    the folder, no links)."""
    allowed = {"manifest.json", manifest["database"]} | {f"{UPLOADS}/{name}" for name in manifest["uploads"]}
    members = []
    for member in archive.getmembers():
        parts = Path(member.name).parts
        if member.name not in allowed or not member.isfile() or ".." in parts or member.name.startswith("/"):
            raise BackupError(f"Unexpected entry in the backup: {member.name!r}.")
        members.append(member)
    return members


def _read_to_the_end(source: Path) -> None:
    """A gzip file's checksum is checked only at its end, which unpacking the members may not reach:
    read it all, so that a damaged file is refused before anything is replaced."""
    with open(source, "rb") as raw:
        if raw.read(2) != b"\x1f\x8b":
            return
    with gzip.open(source) as stream:
        while stream.read(1 << 20):
            pass


def _check_sqlite(dump: Path) -> None:
    connection = sqlite3.connect(dump)
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    if verdict != "ok":
        raise sqlite3.DatabaseError(f"the database in it fails SQLite's integrity check: {verdict}")


def _restore_sqlite(dump: Path) -> None:
    db.session.remove()
    db.engine.dispose()  # no pooled connection keeps an old view of the file
    target_path = _sqlite_path()
    target_path.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(dump)
    target = sqlite3.connect(target_path)
    try:
        # The online backup API in the other direction replaces every page of the live database
        # in one step, WAL file included, which copying the file over it would not.
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def _restore_postgresql(dump: Path) -> None:
    db.session.remove()
    db.engine.dispose()
    dsn, env = _pg_connection()
    _run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--single-transaction", "--exit-on-error", f"--dbname={dsn}", str(dump)], env)


def _replace_uploads(extracted: Path | None) -> None:
    folder = uploads_folder()
    folder.parent.mkdir(parents=True, exist_ok=True)
    old = folder.with_name(f".{UPLOADS}.old")
    shutil.rmtree(old, ignore_errors=True)
    if folder.exists():
        folder.rename(old)
    if extracted is not None and extracted.exists():
        shutil.move(str(extracted), folder)
    else:
        folder.mkdir()
    shutil.rmtree(old, ignore_errors=True)


def _drop_tables_missing_from(dump: Path) -> None:
    """Before ``pg_restore --clean``: drop the tables that the dump does not have (from a newer
    schema), which --clean would leave behind, so the result is exactly the backup."""
    dsn, env = _pg_connection()
    listing = subprocess.run([_pg_tool("pg_restore"), "--list", str(dump)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if listing.returncode != 0:
        raise BackupError(f"pg_restore --list failed: {listing.stderr.strip()}")
    in_dump = set()
    for line in listing.stdout.splitlines():
        # e.g. "215; 1259 16386 TABLE public forum postgres"
        if line.startswith(";") or " TABLE " not in line or " TABLE DATA " in line:
            continue
        words = line.split(" TABLE ", 1)[1].split()
        if len(words) >= 2:
            in_dump.add(words[1])
    with db.engine.begin() as connection:
        for name in inspect(connection).get_table_names():
            if name not in in_dump:
                connection.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))


def restore_backup(path: str | os.PathLike, *, force: bool = False) -> dict:
    """Restore the database and the uploads from ``path``; returns the backup's manifest."""
    backend = _backend()
    source = Path(path)
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    try:
        archive = tarfile.open(source, "r:*")
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"{source} is not a backup file: {exc}") from exc
    with archive, tempfile.TemporaryDirectory(prefix="forum-restore-") as tmp:
        # Everything is read and unpacked before anything is replaced: a damaged file changes nothing.
        try:
            manifest = _read_manifest(archive)
            if manifest["backend"] != backend:
                raise BackupError(f"This backup is of a {manifest['backend']} database; this site uses {backend}. "
                                  "Restore it into the same kind of database.")
            members = _safe_members(archive, manifest)
            if not force and database_holds_data():
                raise BackupError("The database already holds data. Restoring would replace all of it; "
                                  "run again with --force if that is what you want.")
            workdir = Path(tmp)
            archive.extractall(workdir, members=members, filter="data")
            _read_to_the_end(source)
            if backend == "sqlite":
                _check_sqlite(workdir / manifest["database"])
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, sqlite3.DatabaseError) as exc:
            raise BackupError(f"{source} is damaged or incomplete ({exc}); nothing was changed. "
                              "Use another copy of the backup.") from exc
        except OSError as error:
            raise _cannot_write(error, "Nothing was changed.") from error
        dump = workdir / manifest["database"]
        try:
            if backend == "sqlite":
                _restore_sqlite(dump)
            else:
                _drop_tables_missing_from(dump)
                _restore_postgresql(dump)
        except (OSError, sqlite3.Error) as error:
            raise _cannot_write(error, "The database was left as it was.") from error
        try:
            _replace_uploads(workdir / UPLOADS)
        except OSError as error:
            raise _cannot_write(error, "The database was restored, the uploaded files not: "
                                       "run the restore again with --force.") from error
    return manifest


# -- nightly, from the scheduler ----------------------------------------------------------------

def _city_today() -> str:
    return datetime.now(ZoneInfo(current_app.config["TIMEZONE"])).strftime("%Y%m%d")


def nightly_backups(folder: Path) -> list[Path]:
    """The scheduler's backups in ``folder``, oldest first."""
    return sorted(folder.glob(f"{NIGHTLY_PREFIX}*{NIGHTLY_SUFFIX}"))


def keep_nightly_backup() -> int:
    """Write today's backup into ``BACKUP_DIR`` unless it exists, then keep only the newest
    ``BACKUP_KEEP``. Returns 1 when a backup was written. Off while ``BACKUP_DIR`` is empty.

    Idempotent: the file is named by the city's date, so a second run, a restart or a second
    scheduler the same day writes nothing more (two at the very same moment would each write a
    complete file under a temporary name and rename it; the last rename wins).
    """
    setting = current_app.config.get("BACKUP_DIR", "")
    if not setting:
        return 0
    folder = Path(setting)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{NIGHTLY_PREFIX}{_city_today()}{NIGHTLY_SUFFIX}"
    written = 0
    if not target.exists():
        create_backup(target)
        log.info("backup written to %s", target)
        written = 1
    keep = max(1, int(current_app.config.get("BACKUP_KEEP", 14)))
    for old in nightly_backups(folder)[:-keep]:
        old.unlink(missing_ok=True)
    return written


# -- commands -----------------------------------------------------------------------------------

@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=True, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write the database and the uploaded files to one backup file at PATH."""
    written = create_backup(path)
    click.echo(f"Backup written to {written} ({written.stat().st_size} bytes).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@with_appcontext
def restore_command(path: Path, force: bool) -> None:
    """Restore the database and the uploaded files from the backup file at PATH."""
    manifest = restore_backup(path, force=force)
    click.echo(f"Restored the backup of {manifest['created_at']} "
               f"({len(manifest['uploads'])} uploaded files).")
    click.echo("If the code is newer than the backup, run `flask --app forum_app db upgrade` next.")
