"""Static files: content-hashed names, compressed copies, served by WhiteNoise for a year.

At start-up the app hashes every file under ``static/`` (a handful of small files: milliseconds) and,
unless that exact set was built before, writes ``css/site.<hash>.css`` copies with ``.gz`` and ``.br``
beside them into ``<instance>/static-build/<digest>/``. ``url_for('static', filename='css/site.css')``
then gives the hashed name (a ``url_defaults`` hook), and WhiteNoise serves the build under ``/static/``
with ``Cache-Control: public, max-age=315360000, immutable`` for hashed names, the compressed copy a
browser accepts and the security headers every page carries (``security_headers``). A changed file gets a
new name, so nobody ever sees a stale stylesheet.

WhiteNoise's own hashing storage belongs to Django; this is the small Flask half of it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from flask import Flask
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from .security_headers import add_to_static_file

HASH_LENGTH = 12


def hashed_name(relative: str, content: bytes) -> str:
    """``css/site.css`` -> ``css/site.3f2a9c0d1b7e.css``."""
    digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
    stem, dot, extension = relative.rpartition(".")
    return f"{stem}.{digest}.{extension}" if dot and "/" not in extension else f"{relative}.{digest}"


def manifest_for(source: Path) -> dict[str, str]:
    """Every file under ``source`` (relative, with ``/``) and its hashed name."""
    manifest = {}
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        manifest[relative] = hashed_name(relative, path.read_bytes())
    return manifest


def build(source: Path, target_root: Path, manifest: dict[str, str]) -> Path:
    """Copy the files under both names and compress them, once per distinct set of contents.

    Several workers may start at once: each builds in a folder of its own and renames it into place;
    whoever comes second throws theirs away."""
    digest = hashlib.sha256("\n".join(sorted(manifest.values())).encode()).hexdigest()[:HASH_LENGTH]
    target = target_root / digest
    if target.is_dir():
        return target
    target_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".build-", dir=target_root))
    compressor = Compressor(quiet=True)
    for relative, hashed in manifest.items():
        for name in (relative, hashed):
            destination = work / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / relative, destination)
            if compressor.should_compress(str(destination)):
                list(compressor.compress(str(destination)))
    os.chmod(work, 0o755)
    try:
        work.rename(target)
    except OSError:  # another worker was first
        shutil.rmtree(work, ignore_errors=True)
    return target


def init_app(app: Flask) -> None:
    source = Path(app.static_folder)
    if app.debug:
        # Development (flask run --debug): the files themselves, re-read on each request, so an edited
        # stylesheet shows at once.
        app.wsgi_app = WhiteNoise(app.wsgi_app, root=str(source), prefix="static/", autorefresh=True, max_age=0,
                                  add_headers_function=add_to_static_file)
        return
    manifest = manifest_for(source)
    root = build(source, Path(app.instance_path) / "static-build", manifest)
    immutable = {f"/static/{hashed}" for hashed in manifest.values()}
    app.extensions["static_manifest"] = manifest

    @app.url_defaults
    def hashed_static_url(endpoint, values):  # noqa: ANN001 - Flask's signature
        if endpoint == "static" and values.get("filename") in manifest:
            values["filename"] = manifest[values["filename"]]

    app.wsgi_app = WhiteNoise(
        app.wsgi_app, root=str(root), prefix="static/",
        immutable_file_test=lambda path, url: url in immutable,
        add_headers_function=add_to_static_file,  # the security headers the pages carry
    )
