"""Backup and restore: one file with the database and the uploads, put back exactly."""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest
from sqlalchemy import select, text

from forum_app import scheduler
from forum_app.core.extensions import db
from forum_app.jobs import backup

from ..diskspace import full_disk  # noqa: F401 - a fixture


def snapshot(app) -> dict:  # noqa: ANN001
    """Every row of every table, in primary key order."""
    with app.app_context():
        rows = {}
        for table in db.metadata.sorted_tables:
            rows[table.name] = [tuple(r) for r in db.session.execute(
                select(table).order_by(*table.primary_key.columns)).all()]
        db.session.remove()
        return rows


def uploaded_files(app) -> dict:  # noqa: ANN001
    folder = Path(app.instance_path) / "uploads"
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def demo_and_uploads(demo) -> None:  # noqa: ANN001
    """The demo data and two uploaded files, one in a subfolder."""
    folder = Path(demo.instance_path) / "uploads"
    (folder / "sub").mkdir(parents=True, exist_ok=True)
    (folder / "3f2a.pdf").write_bytes(b"%PDF-1.4 forum minutes \x00\xff")
    (folder / "sub" / "photo.jpg").write_bytes(bytes(range(256)) * 40)


def run(app, *args: str):  # noqa: ANN001, ANN201
    return app.test_cli_runner().invoke(args=list(args))


def change_everything(app) -> None:  # noqa: ANN001
    """What happens between the backup and the restore: rows deleted and added, files changed."""
    with app.app_context():
        db.session.execute(text("DELETE FROM newsletter_delivery"))
        db.session.execute(text("DELETE FROM subscriber"))
        db.session.execute(text("UPDATE forum SET capacity = capacity + 7"))
        db.session.commit()
        db.session.remove()
    folder = Path(app.instance_path) / "uploads"
    (folder / "3f2a.pdf").write_bytes(b"overwritten")
    (folder / "added-later.txt").write_text("not in the backup")
    (folder / "sub" / "photo.jpg").unlink()


def test_backup_and_restore_give_back_the_same_data_and_files(app, tmp_path, demo_and_uploads):
    rows_before, files_before = snapshot(app), uploaded_files(app)
    assert rows_before["subscriber"] and rows_before["forum"] and rows_before["registration"]

    target = tmp_path / "backups" / "forum.tar.gz"
    result = run(app, "backup", str(target))
    assert result.exit_code == 0, result.output
    assert target.is_file() and target.stat().st_mode & 0o077 == 0  # personal data: owner only
    with tarfile.open(target) as archive:
        names = set(archive.getnames())
    assert {"manifest.json", "uploads/3f2a.pdf", "uploads/sub/photo.jpg"} <= names

    change_everything(app)
    assert snapshot(app) != rows_before and uploaded_files(app) != files_before

    result = run(app, "restore", str(target), "--force")
    assert result.exit_code == 0, result.output
    assert snapshot(app) == rows_before
    assert uploaded_files(app) == files_before

    # The restored database is a working one: new rows get fresh ids (sequences came back too).
    with app.app_context():
        from tests import factories

        topic = factories.topic(year=2031, title="Efter återställningen")
        assert topic.id > max(r[0] for r in rows_before["topic"])


def test_restore_refuses_to_overwrite_data_without_force(app, tmp_path, demo_and_uploads):
    target = tmp_path / "forum.tar.gz"
    assert run(app, "backup", str(target)).exit_code == 0
    change_everything(app)
    rows_changed, files_changed = snapshot(app), uploaded_files(app)

    result = run(app, "restore", str(target))
    assert result.exit_code != 0
    assert "--force" in result.output and "already holds data" in result.output
    assert snapshot(app) == rows_changed and uploaded_files(app) == files_changed


def test_restore_into_an_empty_database_needs_no_force(app, tmp_path, demo_and_uploads):
    rows_before, files_before = snapshot(app), uploaded_files(app)
    target = tmp_path / "forum.tar.gz"
    assert run(app, "backup", str(target)).exit_code == 0

    with app.app_context():
        from tests.conftest import _empty_all_tables

        _empty_all_tables()
        db.session.remove()
    with app.app_context():
        assert not backup.database_holds_data()

    result = run(app, "restore", str(target))
    assert result.exit_code == 0, result.output
    assert snapshot(app) == rows_before and uploaded_files(app) == files_before


def test_a_file_that_is_not_a_backup_is_refused_with_a_message(app, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"this is not a tar file")
    result = run(app, "restore", str(junk), "--force")
    assert result.exit_code != 0 and "not a backup" in result.output

    evil = tmp_path / "evil.tar"
    with tarfile.open(evil, "w") as archive:
        payload = tmp_path / "payload"
        payload.write_text("x")
        archive.add(payload, arcname="../../outside")
    result = run(app, "restore", str(evil), "--force")
    assert result.exit_code != 0 and "not a forum backup" in result.output
    assert not (tmp_path.parent / "outside").exists()


def test_backup_into_a_folder_names_the_file_by_date(app, tmp_path):
    result = run(app, "backup", str(tmp_path))
    assert result.exit_code == 0, result.output
    made = list(tmp_path.glob("forum-backup-*.tar.gz"))
    assert len(made) == 1


def test_nightly_backup_is_off_without_backup_dir(app, tmp_path):
    with app.app_context():
        assert app.config["BACKUP_DIR"] == ""
        assert backup.keep_nightly_backup() == 0


def test_nightly_backup_writes_once_a_day_and_keeps_the_newest(app, tmp_path):
    folder = tmp_path / "nightly"
    folder.mkdir()
    for day in ("20200101", "20200102", "20200103", "20200104"):
        (folder / f"forum-backup-{day}.tar.gz").write_bytes(b"old")
    (folder / "unrelated.txt").write_text("kept")
    app.config.update(BACKUP_DIR=str(folder), BACKUP_KEEP=3)

    scheduler.run_job(app, scheduler.keep_nightly_backup)
    scheduler.run_job(app, scheduler.keep_nightly_backup)  # the same day: nothing new

    kept = sorted(p.name for p in backup.nightly_backups(folder))
    assert len(kept) == 3
    assert kept[:2] == ["forum-backup-20200103.tar.gz", "forum-backup-20200104.tar.gz"]
    today = folder / kept[2]
    with tarfile.open(today) as archive:
        assert "manifest.json" in archive.getnames()
    assert (folder / "unrelated.txt").exists()


def test_restore_gives_back_exactly_the_backup_even_over_a_newer_schema(app, tmp_path, demo_and_uploads):
    rows_before = snapshot(app)
    target = tmp_path / "forum.tar.gz"
    assert run(app, "backup", str(target)).exit_code == 0
    with app.app_context():
        db.session.execute(text("CREATE TABLE added_by_a_newer_version (id INTEGER PRIMARY KEY)"))
        db.session.execute(text("INSERT INTO added_by_a_newer_version (id) VALUES (1)"))
        db.session.commit()
        db.session.remove()

    result = run(app, "restore", str(target), "--force")
    assert result.exit_code == 0, result.output
    with app.app_context():
        from sqlalchemy import inspect

        assert "added_by_a_newer_version" not in inspect(db.engine).get_table_names()
        db.session.remove()
    assert snapshot(app) == rows_before


def test_a_backup_onto_a_full_disk_says_so_in_one_line_and_leaves_no_file(app, full_disk, demo_and_uploads):  # noqa: F811
    """The backup folder on a full disk: a real 2 MB tmpfs filled to the last byte when the tests run as
    root (as in CI), else a gzip stream into it refused with ENOSPC (tests/diskspace.py)."""
    full_disk.fill()
    result = run(app, "backup", str(full_disk.folder))
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: No space left on the disk ({full_disk.folder}). "
                                     "No backup was written. Free some space, or choose another folder.")
    assert sorted(p.name for p in full_disk.folder.iterdir()) == ([".filler"] if full_disk.real else [])
    full_disk.empty()
    assert run(app, "backup", str(full_disk.folder)).exit_code == 0


def test_restore_of_a_cut_off_or_damaged_file_says_so_in_one_line_and_changes_nothing(app, tmp_path,
                                                                                    demo_and_uploads):
    target = tmp_path / "forum.tar.gz"
    assert run(app, "backup", str(target)).exit_code == 0
    change_everything(app)
    rows_changed, files_changed = snapshot(app), uploaded_files(app)
    whole = target.read_bytes()

    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    damaged = tmp_path / "damaged.tar.gz"
    damaged.write_bytes(whole[:len(whole) // 2] + bytes(b ^ 0x5A for b in whole[len(whole) // 2:len(whole) // 2 + 64])
                        + whole[len(whole) // 2 + 64:])
    for broken in (cut, damaged):
        result = run(app, "restore", str(broken), "--force")
        assert result.exit_code == 1, result.output
        lines = result.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: {broken} is damaged or incomplete ("), result.output
        assert lines[0].endswith("); nothing was changed. Use another copy of the backup.")
        assert "Aborted" not in result.output and "Traceback" not in result.output
        assert snapshot(app) == rows_changed and uploaded_files(app) == files_changed
