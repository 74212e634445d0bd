"""Pages that an emailed link opens, shared by every domain that sends such links."""

from __future__ import annotations

from flask import Response, render_template, request


def one_click_stop(token: str, stop, ask_template: str, done_template: str):  # noqa: ANN001, ANN201
    """An unsubscribe link: GET shows a button (mail scanners open links and must not unsubscribe);
    POST stops, and answers an RFC 8058 one-click POST from a mail program with 204."""
    if request.method == "POST":
        stop(token)
        if request.form.get("List-Unsubscribe") == "One-Click":
            return Response(status=204)
        return render_template(done_template)
    return render_template(ask_template, token=token)
