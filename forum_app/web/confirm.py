"""The one confirmation step before staff content goes out while some languages lack it.

A rule that would publish or send refuses with ``gaps.MissingTranslations``; the view answers with
this page instead of doing it. The page names the languages and posts the same form again (what was
typed, as hidden fields) with one ``accept_missing`` per language, so the rule can check that what was
confirmed is what is missing now.
"""

from __future__ import annotations

from flask import render_template, request

from ..i18n.gaps import MissingTranslations


def confirm_missing_languages(missing: MissingTranslations, button, back_url: str):  # noqa: ANN001, ANN201
    """The confirmation page for a POST refused for ``missing`` languages; ``button`` confirms, 409 meanwhile."""
    kept = [(name, value) for name, values in request.form.lists() for value in values
            if name not in ("csrf_token", "accept_missing")]
    return render_template("admin/confirm_missing.html", message=missing.message, languages=missing.languages,
                           kept=kept, action=request.path, button=button, back_url=back_url), 409
