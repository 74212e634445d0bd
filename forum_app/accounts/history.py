"""How an account's audited fields read in a history (``web/history.py``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..i18n.content import localize
from ..web.history import Field, describe, languages, names, plain, words_of, yes_no
from .forms import role_choices
from .queries import departments_by_id

describe("User", {
    "name": Field(_l("Name"), plain), "role": Field(_l("Role"), words_of(role_choices)),
    "language": Field(_l("Language for emails"), languages), "active": Field(_l("Can log in"), yes_no),
    "department_id": Field(_l("Department"), names(
        lambda ids: {d.id: localize(d.name).text for d in departments_by_id(ids)})),
})
