"""Absolute links for emails, calendar files and posters, which leave the site."""

from __future__ import annotations

from flask import current_app, url_for


def external_url(endpoint: str, **values) -> str:  # noqa: ANN003
    """``BASE_URL`` + the path when set (behind a proxy, in jobs); else the request's own host."""
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)
