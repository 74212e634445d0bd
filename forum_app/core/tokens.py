"""The one kind of secret link token: random, sent once, and kept only as its SHA-256 hash.

A registration's manage link and every "choose your password" link use it: whoever reads the
database cannot rebuild a working link, and a new token replaces an old one.
"""

from __future__ import annotations

import hashlib
import secrets

MAX_LENGTH = 100  # longer input is not one of ours: refused before any hashing or query


def new_token() -> tuple[str, str]:
    """A token of 192 random bits for the link, and the hash that is all we keep of it."""
    token = secrets.token_urlsafe(24)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def plausible(token: str | None) -> bool:
    return bool(token) and len(token) <= MAX_LENGTH
