"""How the plan's audited fields read in a history (``web/history.py``): the forms' own labels, times
in the city's time, topics and forums by their titles."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..core.extensions import db
from ..i18n.content import localize
from ..web.history import Field, day, describe, enum_of, languages, moment, names, number, plain, text, words_of, yes_no
from .forms import category_labels, kind_choices, origin_choices
from .models import Forum, ForumFormat, Proposal, Topic


def _titles(model, column):  # noqa: ANN001, ANN202 - a model and its translated or plain column
    def lookup(ids: list[int]) -> dict[int, str]:
        rows = db.session.execute(select(model.id, column).where(model.id.in_(ids))).all() if ids else []
        return {row[0]: localize(row[1]).text if isinstance(row[1], dict) else str(row[1])[:80] for row in rows}

    return lookup


topic_names = names(_titles(Topic, Topic.title))
forum_names = names(_titles(Forum, Forum.hook))


def _category(value: str) -> str:
    return str(category_labels()[value])


describe("Forum", {
    "topic_id": Field(_l("Topic"), topic_names), "hook": Field(_l("Inviting hook"), text),
    "description": Field(_l("Invitation text"), text), "venue_access": Field(_l("Access and directions"), text),
    "food": Field(_l("Food and drink"), text), "venue_name": Field(_l("Venue"), plain),
    "venue_address": Field(_l("Address"), plain), "capacity": Field(_l("Places"), number),
    "childcare_offered": Field(_l("Childcare is offered"), yes_no),
    "childcare_capacity": Field(_l("Childcare places (leave empty for no limit)"), number),
    "interpretation_languages": Field(_l("Interpreters offered"), languages),
    "moderator": Field(_l("External moderator"), plain),
    "moderator_role": Field(_l("The moderator's role, for example journalist"), text),
    "poster_languages": Field(_l("Poster languages (choose two)"), languages), "format": Field(_l("Format"), enum_of(ForumFormat)),
    "starts_at": Field(_l("Starts"), moment), "ends_at": Field(_l("Ends"), moment),
    "registration_opens_at": Field(_l("Registration opens"), moment),
    "registration_closes_at": Field(_l("Registration closes"), moment),
    "rows": Field(_l("Rows in the file"), number),
})
describe("Topic", {
    "year": Field(_l("Year"), plain), "title": Field(_l("Title"), text), "background": Field(_l("Background"), text),
    "origin": Field(_l("Where the question came from"), words_of(origin_choices)),
    "within_competence": Field(_l("Lies within the city's competence"), yes_no),
    "district": Field(_l("District (for a local question)"), plain),
    "core_team_agreed_on": Field(_l("Agreed with the core team on"), day),
    "core_team_agreement": Field(_l("The core team's agreement"), text),
})
describe("Mandate", {
    "core_team_agreed_on": Field(_l("Agreed with the core team on"), day),
    "decided_on": Field(_l("Date of the decision"), day), "decided_by": Field(_l("Decided by"), text),
})
describe("Consultation", {"closes_on": Field(_l("Proposals can be sent until"), day),
                          "intro": Field(_l("Text of the call"), text)})
describe("Proposal", {"same_as_id": Field(_l("The same question as"), names(_titles(Proposal, Proposal.question)))})
describe("BudgetLine", {
    "year": Field(_l("Year"), plain), "category": Field(_l("Category"), _category),
    "description": Field(_l("Description"), plain), "forum_id": Field(_l("Forum (optional)"), forum_names),
    "department": Field(_l("Department (optional)"), plain), "planned": Field(_l("Planned (SEK)"), number),
    "actual": Field(_l("Actual (SEK)"), number),
})
describe("Organisation", {"kind": Field(_l("Kind"), words_of(kind_choices))})
