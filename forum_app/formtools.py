"""Small helpers shared by the forms of every domain."""

from __future__ import annotations


def strip(value):  # noqa: ANN001, ANN201 - a WTForms filter
    """Trim what people type: a stray space from a phone keyboard is never an error."""
    return value.strip() if isinstance(value, str) else value
