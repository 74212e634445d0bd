"""Finding a person at the door: by their short code, by the last digits of their phone number, or by
their name in any script. A volunteer who types "Hagos" finds "ሓጎስ ተኽለ", and "Mohammed" finds "محمد":
both sides are turned into Latin letters (anyascii) and compared by their consonants, since Arabic is
written without its short vowels and every script has its own spelling in Latin letters."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from anyascii import anyascii

from .models import Registration

# No 0/O, 1/I/L, 2/Z, 5/S or 8/B: read aloud, written on paper or typed from a photo, none is mistaken.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 5
_CODE = re.compile(rf"^[{CODE_ALPHABET}]{{{CODE_LENGTH}}}$")
_VOWELS = re.compile(r"[aeiouy]")


def new_code(taken: set[str]) -> str:
    """A code not in ``taken`` (the forum's codes, read under its lock)."""
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


def door_code(registration: Registration) -> str:
    """The code a person shows at the door, as printed in messages and on the page ("" for a walk-in)."""
    return registration.door_code or ""


def as_code(text: str) -> str | None:
    """What was typed, as a door code ("k7m 4q" -> "K7M4Q"), or None when it cannot be one."""
    compact = re.sub(r"[\s-]", "", text).upper()
    return compact if _CODE.match(compact) else None


def phone_digits(text: str) -> str | None:
    """Three to four digits typed (the end of a phone number), else None. Volunteers never see the number."""
    digits = re.sub(r"\s", "", text)
    return digits if digits.isdigit() and 3 <= len(digits) <= 4 else None


def latin_words(text: str) -> list[str]:
    """"ሓጎስ ተኽለ" -> ["hagos", "tehle"]: the words of a name in lower-case Latin letters."""
    return re.findall(r"[a-z0-9]+", anyascii(text or "").lower())


def _skeleton(word: str) -> str:
    """The consonants of a word, doubled letters and h once: "mohammed" and "mhmd" both read "mmd"."""
    bare = _VOWELS.sub("", word[:1]) + _VOWELS.sub("", word[1:]).replace("h", "")
    return re.sub(r"(.)\1+", r"\1", bare)


def first_letter(registration: Registration) -> str:
    """The letter a name is filed under in the door's list (its first Latin letter), "#" when it has none."""
    words = latin_words(registration.name_latin) or latin_words(registration.name)
    return words[0][0].upper() if words and words[0][0].isalpha() else "#"


@dataclass(frozen=True)
class Match:
    registration: Registration
    exact: bool  # every typed word begins a word of the name as spelled; else it only sounds alike


def _score(query: list[str], registration: Registration) -> tuple[bool, int]:
    """(every typed word begins a word of the name, in either spelling; how many typed words begin a word
    of it or agree with one by their consonants)."""
    words = latin_words(registration.name) + latin_words(registration.name_latin)
    skeletons = [_skeleton(word) for word in words]
    exact = all(any(word.startswith(typed) for word in words) for typed in query)
    alike = sum(1 for typed in query if any(word.startswith(typed) for word in words)
                or (_skeleton(typed) and any(s.startswith(_skeleton(typed)) for s in skeletons)))
    return exact, alike


def find(registrations: list[Registration], text: str) -> list[Match]:
    """Who ``text`` finds among a forum's registrations: the person with that code, the people whose phone
    number ends with those digits, or the names that match: as spelled first, then the names that sound
    alike (some of the typed words agree), the closest first. Rather one too many than a person missed:
    a person missed becomes a walk-in and is counted twice."""
    code = as_code(text)
    if code:
        found = [Match(r, True) for r in registrations if r.door_code == code]
        if found:
            return found
    digits = phone_digits(text)
    if digits:
        return [Match(r, True) for r in registrations if re.sub(r"\D", "", r.phone or "").endswith(digits)]
    query = latin_words(text)
    if not query:
        return []
    scored = [(registration, *_score(query, registration)) for registration in registrations]
    return [Match(registration, exact) for registration, exact, alike
            in sorted(scored, key=lambda row: (not row[1], -row[2])) if exact or alike]
