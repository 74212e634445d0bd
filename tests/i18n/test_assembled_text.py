"""No text a person reads is put together from translated pieces and punctuation typed into a template (issue 30):
the colon, comma or dot between two pieces is the translator's, in one string with placeholders ("%(label)s:
%(value)s", "%(venue)s, %(address)s"), or the items are a list in the reader's style (``format_list``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from forum_app.i18n import LANGUAGES

from .checks import ROOT, assembled_text, label_ends_in_colon

TEMPLATES = ROOT / "templates"


def _templates() -> list[Path]:
    return sorted(path for path in TEMPLATES.rglob("*") if path.suffix in (".html", ".txt"))


def test_no_template_assembles_text_from_translated_pieces():
    found = {str(path.relative_to(TEMPLATES)): assembled_text(path.read_text(encoding="utf-8")) for path in _templates()}
    assert {path: pieces for path, pieces in found.items() if pieces} == {}


# What the templates said before issue 30, as the review quotes them: each must be found.
REVIEWED_TEMPLATES = [
    # recommendations/index.html: " · status: count"
    '{{ ngettext("%(num)d recommendation", "%(num)d recommendations", total) }}{% for s in statuses if counts[s] %}'
    ' · {{ recommendation_status(s) }}: {{ counts[s] }}{% endfor %}',
    # impact/report.html: "date: text"
    '<dd>{{ last.on|dateformat("long") }}: {{ last.text|tr }}</dd>',
    # the venue in seven templates
    '<dd>{{ forum.venue_name }}, {{ forum.venue_address }}</dd>',
    # the outbox's counts
    '{{ _("Waiting") }}: {{ counts.waiting }} · {{ _("Sent") }}: {{ counts.sent }}',
    # a list joined by hand
    '{% for d in r.departments %}{{ d.name|tr }}{% if not loop.last %}, {% endif %}{% endfor %}',
    # the impact card: two translated pieces and a dot
    '{{ _("%(year)d: %(value)s", year=y, value=v) }} · {{ _("change: %(change)s", change=c) }}',
    # a label with a colon typed after it
    '<p>{{ _("Your question") }}:</p>',
]


@pytest.mark.parametrize("source", REVIEWED_TEMPLATES)
def test_the_check_finds_each_assembled_text_the_review_named(source):
    assert assembled_text(source) != []


@pytest.mark.parametrize("source", [
    '{{ _("%(label)s: %(value)s", label=_("Waiting"), value=counts.waiting) }}',
    '<title>{% block title %}{% endblock %} · {{ _("Migrant forum") }}</title>',
    '<td dir="ltr">{% for key, value in counts.items() %}{{ key }}: {{ value }}{% if not loop.last %}, {% endif %}'
    '{% endfor %}</td>',
    '{{ forum_when(forum) }} · {{ ngettext("%(num)d person", "%(num)d people", n) }}',
    '{% else %}–{% endfor %}',
])
def test_the_check_leaves_whole_strings_titles_and_technical_text_alone(source):
    assert assembled_text(source) == []


LABEL_INTO_VALUE = re.compile(r"""_\(\s*"%\(label\)s: %\(value\)s",\s*label=_\(\s*"((?:[^"\\]|\\.)*)"\s*\)""")


def _labels_put_before_a_value() -> set[str]:
    found = set()
    for path in [*_templates(), *(ROOT / "forum_app").rglob("*.py")]:
        found.update(LABEL_INTO_VALUE.findall(path.read_text(encoding="utf-8")))
    return found


def test_labels_put_before_a_value_are_found():
    assert {"Interpreter", "When", "Where", "Planned completion date"} <= _labels_put_before_a_value()


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_no_label_put_before_a_value_ends_in_a_colon_of_its_own(app, code):
    """ "Food: allergies or diet" in "%(label)s: %(value)s" gave two colons on one line of every confirmation."""
    with app.test_request_context(f"/{code}/"), force_locale(code):
        labels = {msgid: _(msgid) for msgid in _labels_put_before_a_value()}
    assert {msgid: text for msgid, text in labels.items() if label_ends_in_colon(text)} == {}
    assert label_ends_in_colon("Food: allergies or diet:") and label_ends_in_colon("መግቢ፦")
