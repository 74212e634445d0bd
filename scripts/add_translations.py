"""Merge translations for new strings into every catalogue at once.

Usage: ``.venv/bin/python scripts/add_translations.py FILE.json [FILE.json ...]``

Each file is a JSON list of entries::

    [
      {"id": "Mail queue", "sv": "E-postkö", "en": "Mail queue", "ar": "...", "fa": "...",
       "so": "...", "ti": "...", "uk": "..."},
      {"id": ["%(num)d message", "%(num)d messages"], "context": "optional msgctxt",
       "sv": ["%(num)d meddelande", "%(num)d meddelanden"], "ar": ["...", "...", "...", "...", "...", "..."]}
    ]

A plural entry gives one string per plural form of the language (Arabic six, Persian and the
others two, Ukrainian three). The entry is added to ``messages.pot`` and to each language's
``messages.po`` (or its translation replaced), in one quick read-modify-write per file, so
several people can add strings while working on different parts. ``make messages`` afterwards
puts the source locations in and keeps every translation.
"""

from __future__ import annotations

import fcntl
import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent / "translations"
LANGUAGES = ("sv", "en", "ar", "fa", "so", "ti", "uk")


def _load(path: Path, locale: str | None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _save(path: Path, catalog: Catalog) -> None:
    tmp = path.with_suffix(".tmp")
    with tmp.open("wb") as handle:
        write_po(handle, catalog, width=None, sort_by_file=True, ignore_obsolete=True)
    tmp.replace(path)


def _key(entry: dict):
    ident = entry["id"]
    return tuple(ident) if isinstance(ident, list) else ident


def merge(entries: list[dict]) -> None:
    problems = [f"{e['id']!r} lacks {code}" for e in entries for code in LANGUAGES if not e.get(code)]
    if problems:
        raise SystemExit("\n".join(problems))
    pot_path = ROOT / "messages.pot"
    pot = _load(pot_path, None)
    for entry in entries:
        if pot.get(_key(entry), context=entry.get("context")) is None:
            pot.add(_key(entry), context=entry.get("context"),
                    flags=("python-format",) if "%(" in json.dumps(entry["id"]) else ())
    _save(pot_path, pot)
    for code in LANGUAGES:
        path = ROOT / code / "LC_MESSAGES" / "messages.po"
        catalog = _load(path, code)
        for entry in entries:
            string = entry[code]
            string = tuple(string) if isinstance(string, list) else string
            existing = catalog.get(_key(entry), context=entry.get("context"))
            if existing is not None:
                existing.string = string
                existing.flags.discard("fuzzy")
            else:
                catalog.add(_key(entry), string, context=entry.get("context"),
                            flags=("python-format",) if "%(" in json.dumps(entry["id"]) else ())
        _save(path, catalog)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    with (ROOT / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one writer of the catalogues at a time
        for name in sys.argv[1:]:
            merge(json.loads(Path(name).read_text(encoding="utf-8")))
