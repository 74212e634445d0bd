"""The one way an email address or a phone number is normalised before it is stored or compared."""

from __future__ import annotations


def normalize_email(email: str | None) -> str:
    return (email or "").strip().lower()


def normalize_phone(phone: str | None) -> str:
    """Digits and a leading plus only, so "070-123 45 67" and "0701234567" are the same number."""
    return "".join(ch for ch in (phone or "") if ch.isdigit() or ch == "+")


def mailbox(email: str | None) -> str:
    """The mailbox an address delivers to, for counting what a stranger can send it: ``name+tag@host`` is
    ``name@host`` (sub-addressing, RFC 5233, which most providers deliver to the same inbox). Dots are
    kept: only some providers ignore them, and guessing which would merge other people's addresses."""
    address = normalize_email(email)
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    return f"{local.split('+', 1)[0] or local}@{domain}"
