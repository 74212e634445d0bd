"""Every string a person sees is translated in all seven catalogues."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from forum_app.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _catalog(code):
    path = ROOT / "translations" / code / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"missing catalogue {path}"
    with path.open("rb") as handle:
        return read_po(handle, locale=code)


def _template_ids():
    with (ROOT / "translations" / "messages.pot").open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_catalogue_is_complete_without_fuzzy_entries(code):
    catalog = _catalog(code)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if not all(s and s.strip() for s in strings):
            problems.append(f"untranslated: {message.id!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_catalogue_covers_every_extracted_string(code):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(code) if m.id}
    missing = _template_ids() - ids
    assert not missing, f"{code} lacks: {sorted(missing)[:10]}"


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_placeholders_survive_translation(code):
    problems = []
    for message in _catalog(code):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            if set(PLACEHOLDER.findall(string or "")) - expected or (
                    not isinstance(message.id, tuple) and set(PLACEHOLDER.findall(string or "")) != expected):
                problems.append(f"{message.id!r} -> {string!r}")
    assert not problems, "\n".join(problems)


def test_every_wrapped_string_in_the_code_is_extracted():
    """The .pot file is up to date with the code (run `make messages` after adding strings)."""
    import subprocess
    import sys
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pot") as out:
        subprocess.run([str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg",
                        "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2", "-k", "lazy_pgettext:1c,2", "-o", out.name, "."],
                       cwd=ROOT, check=True)
        with open(out.name, "rb") as handle:
            current = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert current - _template_ids() == set(), "run `make messages` and translate the new strings"
