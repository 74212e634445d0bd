"""Serving the files of forum results (staff and public pages alike)."""

from __future__ import annotations

from flask import abort, send_file

from . import services
from .models import Attachment

# Uploaded files get a policy of their own: nothing may run or load from them.
FILE_POLICY = "default-src 'none'; sandbox"


def serve_attachment(attachment: Attachment):  # noqa: ANN201 - also a HandOn or Presentation (StoredFile)
    """Files go out as downloads with their checked type; a sandbox CSP keeps a crafted PDF harmless.
    A row without a stored file, or whose file is gone, is a plain 404."""
    if not attachment.storage_name:
        abort(404)
    path = services.upload_folder() / attachment.storage_name
    if not path.exists():
        abort(404)
    return send_file(path, mimetype=attachment.content_type, download_name=attachment.filename,
                     as_attachment=not attachment.content_type.startswith("image/"), max_age=0)
