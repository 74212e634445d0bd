"""The one kind of secret link token: random, sent once, and kept only as its SHA-256 hash.

A registration's manage link and every "choose your password" link use it: whoever reads the
database cannot rebuild a working link, and a new token replaces an old one. A token that must wait
in the database until its email is written (a confirmation queued as a recipe) is kept *sealed*:
encrypted with a key derived from ``SECRET_KEY`` (Fernet: AES with an HMAC), so a copy of the database
alone, a backup say, holds no working link either.
"""

from __future__ import annotations

import base64
import hashlib
import secrets

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

MAX_LENGTH = 100  # longer input is not one of ours: refused before any hashing or query


def new_token() -> tuple[str, str]:
    """A token of 192 random bits for the link, and the hash that is all we keep of it."""
    token = secrets.token_urlsafe(24)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def plausible(token: str | None) -> bool:
    return bool(token) and len(token) <= MAX_LENGTH


def _sealer() -> Fernet:
    key = hashlib.sha256(b"forum-app:sealed-token:" + current_app.config["SECRET_KEY"].encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def seal(token: str) -> str:
    """``token`` encrypted, for the database: only this site's secret key opens it."""
    return _sealer().encrypt(token.encode("utf-8")).decode("ascii")


def unseal(sealed: str) -> str | None:
    """The token a :func:`seal` made, or None when it was not sealed with this site's key."""
    try:
        return _sealer().decrypt(sealed.encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError):
        return None


def seal_bytes(data: bytes) -> bytes:
    """``data`` encrypted as :func:`seal` does: a written message kept for its next try holds its links
    sealed, so a copy of the database alone holds no working link."""
    return _sealer().encrypt(data)


def unseal_bytes(sealed: bytes) -> bytes | None:
    """What :func:`seal_bytes` sealed, or None when it was not sealed with this site's key."""
    try:
        return _sealer().decrypt(sealed)
    except (InvalidToken, ValueError):
        return None
