"""Links that prove themselves: confirm and unsubscribe links signed with the secret key.

Nothing needs to be stored to check them, so an unsubscribe link in every email keeps working
without keeping a token per message (RFC 8058 one-click unsubscribe), and a confirmation link
can expire.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"forum-app:{purpose}")


def make(purpose: str, value: int | list) -> str:
    return _serializer(purpose).dumps(value)


def read(purpose: str, token: str, max_age_days: int | None = None, kind: type = int):  # noqa: ANN201
    """The signed value, or None when the link was changed, is for something else, or has expired."""
    if not token or len(token) > 300:
        return None
    try:
        value = _serializer(purpose).loads(token, max_age=max_age_days * 86400 if max_age_days else None)
    except BadSignature:  # also SignatureExpired
        return None
    return value if isinstance(value, kind) else None


def resolve(purpose: str, token: str, model, max_age_days: int | None = None):  # noqa: ANN001, ANN201
    """The row a signed link points to, or None."""
    from .extensions import db

    object_id = read(purpose, token, max_age_days)
    return db.session.get(model, object_id) if object_id else None


def confirm(purpose: str, token: str, model, max_age_days: int):  # noqa: ANN001, ANN201
    """Double opt-in: the row the link points to gets ``confirmed_at`` (once); None if the link is bad."""
    from .extensions import db
    from .models_base import utcnow

    row = resolve(purpose, token, model, max_age_days)
    if row is not None and row.confirmed_at is None:
        row.confirmed_at = utcnow()
        db.session.commit()
    return row


def remove(purpose: str, token: str, model) -> bool:  # noqa: ANN001
    """One-click unsubscribe: the row the link points to is deleted, keeping nothing."""
    from .extensions import db

    row = resolve(purpose, token, model)
    if row is None:
        return False
    db.session.delete(row)
    db.session.commit()
    return True
