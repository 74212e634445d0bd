"""An upload when the instance folder's disk is full: a translated message, no file left behind (neither
empty nor cut off, which every backup would carry), no row; and room again, it is stored whole."""

from io import BytesIO
from pathlib import Path

from sqlalchemy import func, select

from forum_app.core.extensions import db
from forum_app.recommendations import services
from forum_app.recommendations.models import Attachment

from .. import factories
from ..conftest import submit
from ..diskspace import full_disk  # noqa: F401 - a fixture

PDF = b"%PDF-1.4\n" + b"% minutes of the forum\n" * 20000  # about 460 KB: more than a full disk has


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_an_upload_on_a_full_disk_is_refused_in_words_and_leaves_no_file(client, login, app, full_disk):  # noqa: F811
    """The uploads folder on a full disk: a real 2 MB tmpfs filled to the last byte when the tests run as
    root (as in CI), else writes into it refused with ENOSPC by ``os.write`` (tests/diskspace.py)."""
    login("admin")
    with app.app_context():
        forum_id = factories.forum(days=-2).id
    app.instance_path = str(full_disk.folder)
    uploads = full_disk.folder / "uploads"
    uploads.mkdir()
    page = f"/sv/admin/forums/{forum_id}/result"
    full_disk.fill()
    response = submit(client, f"{page}/files", {"file": (BytesIO(PDF), "protokoll.pdf")}, page=page,
                      content_type="multipart/form-data", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Filen kunde inte sparas: serverns disk är full. Inget har sparats." in html
    assert _files(uploads) == []  # no empty, no cut-off file, no temporary one
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == 0

    full_disk.empty()
    submit(client, f"{page}/files", {"file": (BytesIO(PDF), "protokoll.pdf")}, page=page,
           content_type="multipart/form-data")
    with app.app_context():
        attachment = db.session.scalar(select(Attachment))
        assert _files(uploads) == [attachment.storage_name]
        assert (uploads / attachment.storage_name).read_bytes() == PDF


def test_a_stored_file_goes_again_when_its_row_is_not_committed(app_ctx):
    forum = factories.forum(days=-2)
    result = services.result_for(forum)
    db.session.add(result)
    db.session.flush()
    stored = services.store_upload("protokoll.pdf", PDF)
    path = services.upload_folder() / stored["storage_name"]
    assert path.read_bytes() == PDF
    db.session.rollback()  # the row that was to name it is not saved (a failed commit ends the same way)
    assert not path.exists()

    attachment = services.add_attachment(services.result_for(forum), "protokoll.pdf", PDF)
    assert (services.upload_folder() / attachment.storage_name).read_bytes() == PDF  # committed: kept
