"""The audit trail, checked by construction: every transaction that a logged-in staff member's request
commits, and that inserts, changes or deletes rows of a staff-managed model, must hold an AuditEvent.

``tests/conftest.py`` installs :class:`AuditCheck` around every test (autouse); a test whose requests
commit such a change without an event fails at its end, naming the models. Residents' own actions
happen without a staff login and are not looked at; the models below are exempt by name because what
they hold is machinery or a resident's own choice, written as a side effect of other work.
"""

from __future__ import annotations

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.orm import Session

# Not staff-managed: each with the reason.
EXEMPT = {
    "AuditEvent",  # the trail itself
    "RateEvent",  # throttle: failed logins and public actions counted against abuse
    "OutboxMessage",  # an email caused by a change, written with it
    "Delivery",  # the newsletter's per-subscriber sending rows
    "Heartbeat",  # the scheduler's sign of life
    "Subscriber",  # a resident's own subscription
    "Follower",  # a resident's own follow
    "FeedbackReceipt",  # a resident's own answer (anonymous)
    "FeedbackInvitation",  # the thank-you email's claim, written by the job
    "PasswordLink",  # part of an invitation or a password link, each audited on the user
    "StatusChange",  # a recommendation's own history, written with its audited status change
    "ProgressUpdate",  # written with its audited "progress" event on the recommendation
}


def _staff_user():
    """The logged-in user of the current request, if Flask-Login has already loaded one (never loads it:
    this runs inside a flush)."""
    if not has_request_context():
        return None
    user = g.get("_login_user")
    return user if user is not None and getattr(user, "is_authenticated", False) else None


class AuditCheck:
    def __init__(self) -> None:
        self.missing: list[tuple[str, list[str]]] = []

    def _state(self, session: Session) -> dict:
        return session.info.setdefault("audit_check", {"written": set(), "audited": False, "where": ""})

    def after_flush(self, session: Session, _context) -> None:  # noqa: ANN001
        if _staff_user() is None:
            return
        state = self._state(session)
        for obj in list(session.new) + list(session.deleted) + [o for o in session.dirty if session.is_modified(o)]:
            name = type(obj).__name__
            if name == "AuditEvent":
                state["audited"] = True
            elif name not in EXEMPT:
                state["written"].add(name)
        if state["written"] and not state["where"]:
            state["where"] = f"{request.method} {request.path}"

    def after_commit(self, session: Session) -> None:
        state = session.info.pop("audit_check", None)
        if state and state["written"] and not state["audited"]:
            self.missing.append((state["where"], sorted(state["written"])))

    def after_rollback(self, session: Session) -> None:
        session.info.pop("audit_check", None)

    def install(self) -> None:
        event.listen(Session, "after_flush", self.after_flush)
        event.listen(Session, "after_commit", self.after_commit)
        event.listen(Session, "after_soft_rollback", self._soft_rollback)

    def _soft_rollback(self, session: Session, previous_transaction) -> None:  # noqa: ANN001
        if previous_transaction.parent is None:  # the outermost transaction ended without a commit
            self.after_rollback(session)

    def remove(self) -> None:
        event.remove(Session, "after_flush", self.after_flush)
        event.remove(Session, "after_commit", self.after_commit)
        event.remove(Session, "after_soft_rollback", self._soft_rollback)
