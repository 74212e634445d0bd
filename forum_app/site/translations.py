"""The translators' pages: ``/<lang>/admin/translations/`` and one page per language.

What staff wrote in Swedish and a language still lacks (``i18n/gaps.py``, filled by every domain),
each with a box to fill in; the same as an XLIFF 2.0 file for the city's interpreters, and the file
back (``i18n/interpreters.py``). Admins and the ``translator`` role may use them (``translate_content``).
"""

from __future__ import annotations

from itertools import groupby

from flask import Blueprint, Flask, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..i18n import DEFAULT_LANGUAGE, LANGUAGES, gaps, interpreters
from ..i18n.formatting import format_list
from ..web import history as readable
from ..web import panels as registry
from ..web.access import staff_required

bp = Blueprint("translations_admin", __name__, url_prefix="/<lang:lang>/admin/translations")

MAX_LENGTH = 10_000  # the longest staff text (an invitation, a newsletter article) is far shorter


def _language(code: str) -> str:
    if code not in LANGUAGES or code == DEFAULT_LANGUAGE:
        abort(404)
    return code


@bp.route("/")
@staff_required("translate_content")
def index():
    return render_template("admin/translations.html", counts=gaps.counts())


@bp.route("/<code>", methods=["GET", "POST"])
@staff_required("translate_content")
def language(code: str):
    """Every gap of one language, each a box; saved all at once, nothing if one is too long."""
    code = _language(code)
    typed, errors = {}, {}
    if request.method == "POST":
        entries = [gaps.Entry(name.removeprefix("text-"), request.form.get("source-" + name.removeprefix("text-"), ""),
                              text) for name, text in request.form.items() if name.startswith("text-")]
        typed = {entry.unit_id: entry.text for entry in entries}
        errors = {entry.unit_id: _("At most %(max)d characters.", max=MAX_LENGTH)
                  for entry in entries if len(entry.text) > MAX_LENGTH}
        if not errors:
            _report(gaps.save_translations(code, entries))
            return redirect(url_for(".language", code=code))
    return _page(code, typed=typed, errors=errors), 400 if errors else 200


@bp.route("/<code>/interpreters.xlf")
@staff_required("translate_content")
def export(code: str):
    code = _language(code)
    return Response(interpreters.export(code), mimetype=interpreters.MEDIA_TYPE, headers={
        "Content-Disposition": f'attachment; filename="migrant-forum-{code}.xlf"'})


@bp.route("/<code>/interpreters", methods=["POST"])
@staff_required("translate_content")
def import_file(code: str):
    """An interpreter's file back: all its translations saved, or none and a message why."""
    code = _language(code)
    upload = request.files.get("file")
    data = upload.read() if upload else b""
    if not data:
        return _page(code, upload_error=_("Choose the file the interpreter sent back.")), 400
    try:
        saved = interpreters.import_file(code, data)
    except interpreters.InterpreterFileError as error:
        return _page(code, upload_error=str(error.message)), 400
    _report(saved)
    return redirect(url_for(".language", code=code))


def _page(code: str, *, typed: dict | None = None, errors: dict | None = None, upload_error: str = "") -> str:
    found = gaps.gaps(code)
    # Kind by kind, and within a kind the fields of one row together (gaps() keeps them in that order).
    groups = [(kind, [(row, list(fields)) for row, fields in groupby(items, key=lambda gap: gap.row)])
              for kind, items in groupby(found, key=lambda gap: gap.kind)]
    return render_template("admin/translations_language.html", code=code, groups=groups, total=len(found),
                           typed=typed or {}, errors=errors or {}, upload_error=upload_error)


def _report(saved: gaps.Saved) -> None:
    flash(ngettext("%(num)d translation is saved.", "%(num)d translations are saved.", len(saved.saved)), "success")
    skipped = len(saved.changed) + len(saved.unknown)
    if skipped:
        flash(ngettext("%(num)d translation was not saved: its Swedish text has changed or been removed in the "
                       "meantime.",
                       "%(num)d translations were not saved: their Swedish text has changed or been removed in the "
                       "meantime.", skipped), "warning")


def init_app(app: Flask) -> None:
    """After the domains' ``init_app``: their kinds of content are registered by then."""
    app.register_blueprint(bp)
    registry.add_dashboard_panel(app, "admin/_translations_panel.html", "translate_content")
    for kind in gaps.kinds():
        # How a translation (gaps.save_translations) and a publication without some languages read in a history.
        readable.describe(kind.model.__name__, {
            "language": readable.Field(_l("In the language"), readable.languages),
            "translated": readable.Field(_l("Fields translated"), _field_labels(kind)),
            "untranslated": readable.Field(_l("Languages not yet translated"), readable.languages)})


def _field_labels(kind: gaps.ContentKind):  # noqa: ANN202 - a Field's show
    return lambda names: format_list(str(kind.fields.get(name, name)) for name in names)
