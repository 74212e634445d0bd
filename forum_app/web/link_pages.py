"""Pages that an emailed link opens, shared by every domain that sends such links."""

from __future__ import annotations

from flask import Response, abort, render_template, request


def one_click_stop(token: str, stop, ask_template: str, done_template: str):  # noqa: ANN001, ANN201
    """An unsubscribe link: GET shows a button (mail scanners open links and must not unsubscribe);
    POST stops, and answers an RFC 8058 one-click POST from a mail program with 204."""
    if request.method == "POST":
        stop(token)
        if request.form.get("List-Unsubscribe") == "One-Click":
            return Response(status=204)
        return render_template(done_template)
    return render_template(ask_template, token=token)


def one_button_confirm(token: str, check, confirm, ask_template: str, done):  # noqa: ANN001, ANN201
    """A confirmation link: GET shows one button (a mail scanner that follows the link confirms
    nothing); POST confirms. ``check(token)`` and ``confirm(token)`` return the row or None; a link
    that is wrong or has expired is a plain 404."""
    if request.method == "POST":
        if confirm(token) is None:
            abort(404)
        return done()
    if check(token) is None:
        abort(404)
    return render_template(ask_template, token=token)
