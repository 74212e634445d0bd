"""How the core team's audited fields read in a history (``web/history.py``)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..accounts.queries import users_by_id
from ..web.history import Field, day, describe, enum_of, languages, moment, names, number, plain, words_of, yes_no
from .forms import task_choices
from .models import MembershipEnd
from .queries import members_by_id

describe("CoreTeamMember", {
    "name": Field(_l("Name"), plain), "email": Field(_l("Email address"), plain), "phone": Field(_l("Phone"), plain),
    "language": Field(_l("Language for emails"), languages), "languages": Field(_l("Languages they speak"), languages),
    "tasks": Field(_l("Tasks"), words_of(task_choices)), "term_start": Field(_l("Term starts"), day),
    "term_end": Field(_l("Term ends"), day), "end_reason": Field(_l("Why the membership ends"), enum_of(MembershipEnd)),
    "end_note": Field(_l("Reason, if they gave one (optional)"), plain),
})
describe("Volunteer", {"on_paper": Field(_l("Typed in from a paper form"), yes_no)})
describe("Meeting", {
    "title": Field(_l("Title"), plain), "place": Field(_l("Place"), plain),
    "online_link": Field(_l("Link for joining online"), plain), "agenda": Field(_l("Agenda"), plain),
    "notes": Field(_l("Notes"), plain), "decisions": Field(_l("Decisions"), plain),
    "starts_at": Field(_l("Starts"), moment), "ends_at": Field(_l("Ends"), moment),
    "invitations": Field(_l("Invitations sent"), number),
    "attendees": Field(_l("Who attended"), names(lambda ids: {m.id: m.name for m in members_by_id(ids)})),
    "officials_present": Field(_l("Officials present"), names(
        lambda ids: {u.id: u.name or u.email for u in users_by_id(ids)})),
})
