"""The language checks, as functions of plain data, so a test can feed them a catalogue or the reviewer's bad
examples alike (tests/i18n/test_glossary.py, test_scripts.py, test_assembled_text.py).

``translations/glossary.csv`` has one row per rule: ``term`` is a regular expression searched in the msgid (its
placeholders left out, unless the term names one: ``by %\\(date\\)s``), or ``*`` for every msgid; ``required`` must be found in every form of the msgstr,
``forbidden`` in none. All three are case-insensitive regular expressions, so one row covers a word's inflections
(``потреб\\S* щодо доступності``, a stem such as ``догляд``).
``translations/glossary-exceptions.csv`` names the msgids where a rule does not hold, each with its reason.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


@dataclass(frozen=True)
class Rule:
    term: str
    language: str
    required: str
    forbidden: str
    note: str

    def applies_to(self, msgid: str) -> bool:
        # The placeholders' names are not words of the message ("Cancel your place at %(forum)s?"), unless the
        # term names a placeholder itself ("by %(date)s").
        if self.term == "*":
            return True
        words = msgid if "%\\(" in self.term else PLACEHOLDER.sub("", msgid)
        return re.search(self.term, words, re.IGNORECASE) is not None


@dataclass(frozen=True)
class Exception_:
    language: str
    term: str
    rule: str
    msgid_contains: str


def glossary(path: Path = ROOT / "translations" / "glossary.csv") -> list[Rule]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [Rule(**row) for row in csv.DictReader(handle)]


def exceptions(path: Path = ROOT / "translations" / "glossary-exceptions.csv") -> list[Exception_]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [Exception_(row["language"], row["term"], row["rule"], row["msgid_contains"])
                for row in csv.DictReader(handle)]


def catalogue(code: str) -> list[tuple[str, list[str]]]:
    """(msgid, its msgstr forms) of every entry; the singular msgid stands for a plural entry."""
    with (ROOT / "translations" / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        entries = read_po(handle, locale=code)
    found = []
    for message in entries:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        forms = list(message.string) if isinstance(message.string, tuple) else [message.string]
        found.append((msgid, [form for form in forms if form]))
    return found


def glossary_slips(code: str, entries, rules: list[Rule], excused: list[Exception_]) -> list[tuple[str, str, str]]:
    """(what is wrong, msgid, msgstr) for each msgstr that uses a forbidden word or lacks the required one."""
    slips = []
    for rule in (r for r in rules if r.language == code):
        for msgid, forms in entries:
            if not forms or not rule.applies_to(msgid):
                continue
            for text in (PLACEHOLDER.sub("", form) for form in forms):
                for cell, wrong in ((rule.forbidden, lambda t, c: re.search(c, t, re.IGNORECASE)),
                                    (rule.required, lambda t, c: not re.search(c, t, re.IGNORECASE))):
                    if not cell or not wrong(text, cell):
                        continue
                    if any(e.language == code and e.term == rule.term and e.rule == cell and e.msgid_contains in msgid
                           for e in excused):
                        continue
                    what = "forbidden" if cell == rule.forbidden else "missing"
                    slips.append((f"{rule.term}: {what} {cell} ({rule.note})", msgid, text))
    return slips


# --- Script checks -------------------------------------------------------------------------------------------

ETHIOPIC = "\u1200-\u137f"
ARABIC_SCRIPT = "\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff"


def ethiopic_punctuation_slips(text: str) -> list[str]:
    """Tigrinya writes ፣ (comma), ። (full stop), ፦ (colon, before a list or a value), ፤; the word separator ፡ is not
    punctuation, and a Latin comma, colon or semicolon after an Ethiopic word is the wrong script's."""
    slips = []
    if "፡" in text:
        slips.append("፡ used as punctuation")
    if re.search(f"[{ETHIOPIC}][,;:]", text):
        slips.append("Latin , ; or : after an Ethiopic word")
    return slips


def arabic_punctuation_slips(text: str) -> list[str]:
    """Arabic and Persian write ، ؛ ؟; a Latin comma, semicolon or question mark between or after Arabic-script words
    is the wrong script's (and a Latin "?" is laid out facing the wrong way)."""
    slips = []
    if re.search(f"[{ARABIC_SCRIPT}]\\s*,", text):
        slips.append("Latin comma after Arabic script (،)")
    if re.search(f"[{ARABIC_SCRIPT}]\\s*\\?", text):
        slips.append("Latin question mark after Arabic script (؟)")
    if re.search(f"[{ARABIC_SCRIPT}]\\s*;\\s*[{ARABIC_SCRIPT}]", text):
        slips.append("Latin semicolon between Arabic-script words (؛)")
    return slips


def ukrainian_apostrophe_slips(text: str) -> list[str]:
    """Ukrainian writes one apostrophe (’), not the typewriter ' inside a word ("зв'язатися")."""
    return ["ASCII apostrophe inside a Ukrainian word (’)"] if re.search("[а-яіїєґ]'[а-яіїєґ]", text, re.I) else []


COLONS = ":፦："


def double_colon_slips(text: str) -> list[str]:
    """A label that ends in a colon put before ": value" reads "Food: allergies or diet: halal": two colons in one
    line of label and value, or two colons in a row."""
    if re.search(f"[{COLONS}]\\s*[{COLONS}]", text):
        return ["two colons in a row"]
    return []


def label_ends_in_colon(label: str) -> bool:
    return label.rstrip().endswith(tuple(COLONS))


# --- Text assembled from translated pieces in templates ------------------------------------------------------

# A piece a translator wrote (or translated content): gettext calls, content through |tr, labels of statuses.
TRANSLATED = re.compile(r"\b_\(|\bngettext\(|\bpgettext\(|\|\s*tr\b|\|\s*label\b|_status\(|\bstatus_label\(")
# Punctuation standing alone between two template pieces: "}}: {{", "}}, {{", "{% endif %} · {{", ...
# The left piece is an expression with the tags right after it ("{{ kind|label }}{% if proposer %}: ...").
BETWEEN = re.compile(r"(?P<left>\{\{(?:(?!\}\}).)*\}\}(?:\{%(?:(?!%\}).)*%\})*|\{%(?:(?!%\}).)*%\})(?P<glue>\s?[:,;·–—]\s?|\s·\s)"
                     r"(?=(?P<right>\{\{(?:(?!\}\}).)*\}\}|\{%(?:(?!%\}).)*%\}))")
# A translated label followed by a colon typed into the template: {{ _("Waiting") }}: ...
LABEL_COLON = re.compile(r"\{\{\s*_\(\s*(['\"])(?:(?!\1).)*\1\s*\)\s*\}\}[:፦]")
# A list joined by hand with a comma or semicolon ("·" between links is a separator, not grammar).
MANUAL_JOIN = re.compile(r"\{%-?\s*if not loop\.last\s*-?%\}\s*[,،፣;؛]")
# Inside an element written left to right the text is technical (a table's name and a count), not a sentence.
LEFT_TO_RIGHT_ELEMENT = re.compile(r"<(\w+)[^>]*\bdir=\"ltr\"[^>]*>(?:(?!</\1>).)*</\1>", re.DOTALL)
# "Page · site · city" in a title and the kicker above a heading are a list of names, each translated whole.
TITLE_SEPARATOR = re.compile(r"<title>.*?</title>|\{% block title %\}.*?\{% endblock %\}|\{% block sheet_title %\}",
                             re.DOTALL)


def assembled_text(source: str) -> list[str]:
    """The places in a template where a sentence is put together from pieces and punctuation typed into the
    template, which only suits Latin script (the language's own string decides ":" or "፦", "," or "،"): a colon,
    comma or semicolon between any two pieces (a venue and its address too), a dash or dot next to a translated one."""
    text = LEFT_TO_RIGHT_ELEMENT.sub("", source)
    text = TITLE_SEPARATOR.sub("", text)
    found = [match.group(0) for match in LABEL_COLON.finditer(text)]
    found += [match.group(0) for match in MANUAL_JOIN.finditer(text)]
    for match in BETWEEN.finditer(text):
        left, glue, right = match.group("left", "glue", "right")
        if glue.strip() in "–—" and right.startswith("{% end"):
            continue  # "{% else %}–{% endif %}": the dash is the value shown for nothing
        if glue.strip() == "·" and not (TRANSLATED.search(left) and TRANSLATED.search(right)):
            continue  # a dot between a translated phrase and a number or name is a separator, not grammar
        if glue.strip() in "–—" and not (TRANSLATED.search(left) or TRANSLATED.search(right)):
            continue  # a dash between a name and a date, neither translated
        found.append(left + glue + right)
    return found
