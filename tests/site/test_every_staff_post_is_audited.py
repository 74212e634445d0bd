"""Every staff POST route, walked on the demo data as the office's staff: a POST that changes a
staff-managed row writes at least one audit row.

The walk submits each route's own form as a browser would, with the values the page fills in (an edit
saved unchanged); a route that is only a button is posted with its form token. What a route refuses
(a form that needs more than its defaults) writes nothing and is listed by ``_walk``, so the report can
say which routes the generic walk cannot make succeed. The autouse check in ``tests/audit_check.py``
guards every other test the same way, by construction.
"""

from __future__ import annotations

from html.parser import HTMLParser

from sqlalchemy import event, func, select, text
from sqlalchemy.orm import Session

from forum_app.accounts.models import User
from forum_app.core.audit import AuditEvent
from forum_app.core.extensions import db

from ..audit_check import EXEMPT
from ..conftest import csrf_token_from, submit

TABLES = {"line_id": "budget_line", "item_id": "side_event", "member_id": "coreteam_member",
          "meeting_id": "coreteam_meeting", "issue_id": "newsletter_issue", "section_id": "newsletter_section",
          "user_id": "user_account", "attachment_id": "result_attachment", "guest_id": "meeting_guest"}
PARENTS = {"section_id": ("issue_id", "issue_id"), "registration_id": ("forum_id", "forum_id"),
           "item_id": ("forum_id", "forum_id"), "guest_id": ("meeting_id", "meeting_id")}
# Last, so that what they remove is still there for the routes before them.
DESTRUCTIVE = ("delete", "remove", "cancel", "decline", "erase", "unschedule")


class _Forms(HTMLParser):
    """The POST forms of a page and the values a browser would send for each."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):  # noqa: ANN001, ANN201
        a = dict(attrs)
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": a.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self._form["fields"].append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "first": None, "chosen": []}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._select["first"] = value if self._select["first"] is None else self._select["first"]
            if "selected" in a:
                self._select["chosen"].append(value)
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]

    def handle_data(self, data):  # noqa: ANN001, ANN201
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):  # noqa: ANN001, ANN201
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            values = self._select["chosen"] or ([self._select["first"]] if self._select["first"] else [])
            self._form["fields"] += [(self._select["name"], v) for v in values]
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form["fields"].append(tuple(self._textarea))
            self._textarea = None


TRIES = 8  # objects of the route's kind tried in turn, until one lets the change happen


def _ids(table: str) -> list[int]:
    return list(db.session.execute(text(f"SELECT id FROM {table} ORDER BY id LIMIT {TRIES}")).scalars())  # noqa: S608


def _urls(rule) -> list[str] | None:  # noqa: ANN001
    """URLs for the rule, one per object of its main kind (the last id argument); None when the demo has none."""
    from forum_app.core.timeutil import city_today

    fixed = {"lang": "sv", "year": city_today().year}
    args = sorted(rule.arguments - set(fixed), key=lambda name: name not in PARENTS)
    choices = [dict(fixed)]
    if args:
        main = args[0]
        table = TABLES.get(main, main.removesuffix("_id"))
        if table not in db.metadata.tables or not _ids(table):
            return None
        choices = []
        for row_id in _ids(table):
            values = {**fixed, main: row_id}
            if main in PARENTS:
                parent_arg, column = PARENTS[main]
                values[parent_arg] = db.session.execute(
                    text(f"SELECT {column} FROM {table} WHERE id = :id"), {"id": row_id}).scalar()  # noqa: S608
            for other in args[1:]:
                if other not in values:
                    other_table = TABLES.get(other, other.removesuffix("_id"))
                    values[other] = (_ids(other_table) or [1])[0]
            choices.append(values)
    urls = []
    for values in choices:
        url = rule.rule
        for arg, value in values.items():
            url = url.replace(f"<lang:{arg}>", str(value)).replace(f"<int:{arg}>", str(value))
        urls.append(url)
    return urls


class _Writes:
    """Which staff-managed models each request's commits changed (the exempt ones left out)."""

    def __init__(self) -> None:
        self.models: set[str] = set()

    def __call__(self, session, _context) -> None:  # noqa: ANN001 - an after_flush listener
        for obj in list(session.new) + list(session.deleted) + [o for o in session.dirty if session.is_modified(o)]:
            if type(obj).__name__ not in EXEMPT | {"AuditEvent"}:
                self.models.add(type(obj).__name__)


def _walk(app, client) -> tuple[list, list, list]:  # noqa: ANN001
    writes = _Writes()
    event.listen(Session, "after_flush", writes)
    try:
        return _walk_with(app, client, writes)
    finally:
        event.remove(Session, "after_flush", writes)


def _walk_with(app, client, writes: _Writes) -> tuple[list, list, list]:  # noqa: ANN001
    rules = sorted((r for r in app.url_map.iter_rules() if "/admin" in r.rule and "POST" in r.methods),
                   key=lambda r: (any(word in r.rule for word in DESTRUCTIVE), r.rule))
    token = csrf_token_from(client.get("/sv/admin/").get_data(as_text=True))
    silent, refused, errors = [], [], []
    for rule in rules:
        with app.app_context():
            urls = _urls(rule)
        if urls is None:
            refused.append((rule.rule, "no object in the demo data"))
            continue
        answers = []
        for url in urls:
            with app.app_context():
                before = db.session.scalar(select(func.count()).select_from(AuditEvent))
            data = {"csrf_token": token}
            if "GET" in rule.methods:
                parser = _Forms()
                parser.feed(client.get(url).get_data(as_text=True))
                own = [f for f in parser.forms if f["action"] in ("", url)]
                if own:
                    data = {}
                    for name, value in own[0]["fields"]:
                        data.setdefault(name, []).append(value)
            writes.models.clear()
            response = client.post(url, data=data)
            with app.app_context():
                after = db.session.scalar(select(func.count()).select_from(AuditEvent))
            if response.status_code >= 500:
                errors.append((url, response.status_code))
            elif writes.models and after == before:
                silent.append((url, sorted(writes.models)))
            if after > before or response.status_code >= 500 or writes.models:
                break
            answers.append(response.status_code)
        else:
            refused.append((rule.rule, sorted(set(answers))))
    return silent, refused, errors


def test_every_staff_post_that_changes_something_writes_an_audit_row(app, client, demo):
    with app.app_context():
        email = db.session.scalar(select(User.email).where(User.role == "admin"))
    assert submit(client, "/sv/login", {"email": email, "password": "demo-password-2027"}).status_code == 302
    silent, refused, errors = _walk(app, client)
    print("refused by the generic walk:", refused)  # shown with -s; see the module's docstring
    assert errors == []
    assert silent == [], silent
    with app.app_context():
        walked = db.session.scalar(select(func.count(func.distinct(AuditEvent.object_type))).where(
            AuditEvent.user_id.is_not(None)))
    assert walked >= 8  # the walk really changed many kinds of object
