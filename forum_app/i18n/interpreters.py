"""The city's interpreters' file: what lacks one language as XLIFF 2.0, and the same file back.

XLIFF 2.0 is what translation tools (memoQ, Trados, OmegaT, Poedit) open, and translate-toolkit reads
and writes it with a safe XML parser; the file carries each unit's Swedish source, so an import can
tell which units were made from the Swedish text as it is now (:func:`gaps.save_translations` skips the
others and says so). One unit per field: its id is the field's (``forum-3-hook``), its notes say what
it is (the kind, the row's Swedish title, the field) for an interpreter who sees no page.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from lxml import etree
from translate.storage.xliff2 import Xliff2File

from ..core.errors import DomainError
from . import DEFAULT_LANGUAGE, LANGUAGES
from .content import language_display_name
from .gaps import Entry, Saved, gaps, save_translations

MEDIA_TYPE = "application/xliff+xml"


class InterpreterFileError(DomainError):
    """An uploaded file that cannot be read as this page's XLIFF: nothing of it is saved."""


def export(code: str) -> bytes:
    """An XLIFF 2.0 file of every field that lacks ``code``, Swedish as the source, targets empty."""
    store = Xliff2File(sourcelanguage=DEFAULT_LANGUAGE, targetlanguage=code)
    for gap in gaps(code):
        unit = store.addsourceunit(gap.source)
        unit.setid(gap.unit_id)
        unit.addnote(str(gap.kind.label), "kind")
        unit.addnote((gap.kind.title(gap.row) or {}).get(DEFAULT_LANGUAGE, ""), "title")
        unit.addnote(str(gap.label), "field")
    return bytes(store)


def read(code: str, data: bytes) -> list[Entry]:
    """The translated units of an uploaded file for ``code``; :class:`InterpreterFileError` if it is not one."""
    try:
        store = Xliff2File.parsestring(data)
    except (etree.LxmlError, AssertionError, ValueError, UnicodeError):
        # AssertionError: well-formed XML whose root is not an XLIFF 2.0 <xliff> (translate-toolkit checks so).
        raise InterpreterFileError(_l("This is not an XLIFF 2.0 file. Upload the file you downloaded from this "
                                      "page, with the translations filled in.")) from None
    target = store.gettargetlanguage()
    if target != code:
        raise InterpreterFileError(_l(
            "This file is for another language (%(language)s). Upload it on that language's page.",
            language=language_display_name(target) if target in LANGUAGES else (target or "?")))
    entries = [Entry(unit.getid() or "", unit.source or "", unit.target or "") for unit in store.units]
    if not any(entry.text.strip() for entry in entries):
        raise InterpreterFileError(_l("The file has no translations in it yet. Fill in the targets, then upload "
                                      "it again."))
    return entries


def import_file(code: str, data: bytes) -> Saved:
    """Read an interpreter's file and save its translations in one transaction (see ``save_translations``)."""
    return save_translations(code, read(code, data))
