"""The one way an email address or a phone number is normalised before it is stored or compared."""

from __future__ import annotations


def normalize_email(email: str | None) -> str:
    return (email or "").strip().lower()


def normalize_phone(phone: str | None) -> str:
    """Digits and a leading plus only, so "070-123 45 67" and "0701234567" are the same number."""
    return "".join(ch for ch in (phone or "") if ch.isdigit() or ch == "+")
