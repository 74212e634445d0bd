"""Links that prove themselves: confirm and unsubscribe links signed with the secret key.

A link names its row by id *and* the row's own random ``link_key``, so it opens that row and no
other: an id that a database hands out again after a deletion gets a new key, and an old link for
it leads nowhere. Unsubscribe links keep working for as long as the row exists (RFC 8058
one-click unsubscribe), confirmation links expire; a state changes only on POST (the link opens a
page with one button, so a mail scanner that follows links changes nothing).
"""

from __future__ import annotations

import hmac
import secrets

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .database import atomic
from .extensions import db
from .models_base import utcnow


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"forum-app:{purpose}")


def make(purpose: str, value: int | list) -> str:
    return _serializer(purpose).dumps(value)


def read(purpose: str, token: str, max_age_days: int | None = None, kind: type | tuple = int):  # noqa: ANN201
    """The signed value, or None when the link was changed, is for something else, or has expired."""
    if not token or len(token) > 300:
        return None
    try:
        value = _serializer(purpose).loads(token, max_age=max_age_days * 86400 if max_age_days else None)
    except BadSignature:  # also SignatureExpired
        return None
    return value if isinstance(value, kind) else None


def new_link_key() -> str:
    """The random key a row's links carry: a column default for rows that get emailed links."""
    return secrets.token_hex(16)


def for_row(purpose: str, row) -> str:  # noqa: ANN001
    # Rows from before link keys keep the links they were sent: a row made since always has a key,
    # so such a link cannot open a newer row that got the same id.
    return make(purpose, [row.id, row.link_key]) if row.link_key else make(purpose, row.id)


def resolve(purpose: str, token: str, model, max_age_days: int | None = None):  # noqa: ANN001, ANN201
    """The row a signed link points to, or None."""
    value = read(purpose, token, max_age_days, kind=(list, int))
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int):
        row = db.session.get(model, value[0])
        return row if row is not None and row.link_key and hmac.compare_digest(row.link_key, str(value[1])) else None
    if isinstance(value, int) and not isinstance(value, bool):
        # A link from before link keys: only for a row from that time, which has none.
        row = db.session.get(model, value)
        return row if row is not None and not row.link_key else None
    return None


def confirm(purpose: str, token: str, model, max_age_days: int):  # noqa: ANN001, ANN201
    """Double opt-in: the row the link points to gets ``confirmed_at`` (once); None if the link is bad."""
    with atomic():
        row = resolve(purpose, token, model, max_age_days)
        if row is not None and row.confirmed_at is None:
            row.confirmed_at = utcnow()
    return row


def remove(purpose: str, token: str, model) -> bool:  # noqa: ANN001
    """One-click unsubscribe: the row the link points to is deleted, keeping nothing."""
    with atomic():
        row = resolve(purpose, token, model)
        if row is None:
            return False
        db.session.delete(row)
    return True
