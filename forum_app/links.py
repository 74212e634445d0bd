"""Absolute links for emails, calendar files and posters, which leave the site."""

from __future__ import annotations

from flask import current_app, has_request_context, url_for


def external_url(endpoint: str, **values) -> str:  # noqa: ANN003
    """``BASE_URL`` + the path: the same link from a page, an email sent by a job, or a poster."""
    base = current_app.config["BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    # Scheduled jobs and the CLI have no request to build URLs from.
    with current_app.test_request_context(base_url=base):
        return base + url_for(endpoint, **values)
