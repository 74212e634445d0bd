"""Status names and colours as readers see them."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext, ngettext

from ..core.timeutil import city_today, utc_to_local
from ..i18n.content import localize
from ..i18n.formatting import format_list
from ..i18n.labels import label, name_values
from ..web.history import Entry
from .models import Status

STATUS_LABELS = name_values(Status, {
    Status.DRAFT: _l("Being drafted"),
    Status.AGREED: _l("Agreed by the core team"),
    Status.PRESENTED: _l("Presented to the city's leadership"),
    # Their own context: the audit log's "Accepted"/"Declined" (core/audit.py) is an event, this is the state of a
    # recommendation, which Arabic writes in the feminine to agree with توصية.
    Status.ACCEPTED: lazy_pgettext("recommendation", "Accepted"),
    Status.DECLINED: lazy_pgettext("recommendation", "Declined"),
    Status.IN_PROGRESS: _l("In progress"),
    Status.IMPLEMENTED: _l("Implemented"),
    Status.PARTLY_IMPLEMENTED: _l("Partly implemented"),
})
BADGES = {Status.IMPLEMENTED: "badge-ok", Status.PARTLY_IMPLEMENTED: "badge-ok", Status.DECLINED: "badge-danger",
          Status.IN_PROGRESS: "badge-warning"}
PUBLIC_STATUSES = [s for s in Status if s is not Status.DRAFT]


def status_label(status: Status) -> str:
    return label(status)


def presented_by(presentation) -> str:  # noqa: ANN001 - a Presentation
    """Who presented, as the public reads it: how many core-team members, and the departments of the
    officials and those that presented without a named official (a department is public; an official's
    name is not put on the tracker)."""
    parts = []
    if presentation.members:
        parts.append(ngettext("%(num)d member of the core team", "%(num)d members of the core team",
                              len(presentation.members)))
    departments = list(dict.fromkeys(
        [localize(u.department.name).text for u in presentation.officials if u.department is not None]
        + [localize(d.name).text for d in presentation.departments]))
    if departments:
        parts.append(_("officials from %(departments)s", departments=format_list(departments)))
    elif presentation.officials:
        parts.append(ngettext("%(num)d official", "%(num)d officials", len(presentation.officials)))
    return format_list(parts)


def presenters(presentation) -> list[str]:  # noqa: ANN001 - a Presentation
    """Who presented, as staff read it: the core-team members and officials by name, then the departments
    that presented without a named official."""
    return ([m.name for m in presentation.members] + [u.name or u.email for u in presentation.officials]
            + [localize(d.name).text for d in presentation.departments])


def public_history(recommendation) -> list[Entry]:  # noqa: ANN001 - a Recommendation
    """The public timeline: one entry per event, oldest first. An update posted with a status change is
    one entry (the status, with the update's text); a presentation is one entry on the day it was held,
    whether or not the status was also moved by hand."""
    updates_at = {u.created_at: u for u in recommendation.updates}
    joined: set[int] = set()
    rows: list[tuple[date, int, Entry]] = []
    for change in recommendation.changes:
        if change.to_status is Status.DRAFT:
            continue
        if change.to_status is Status.PRESENTED and recommendation.presentations:
            continue  # the presentation's own entry says it, on the day it happened
        day = utc_to_local(change.at).date()
        if change.to_status is Status.PRESENTED and recommendation.presented_on:
            day = recommendation.presented_on
        update = updates_at.get(change.at)
        if update is not None:
            joined.add(update.id)
            day = update.on
        note = localize(update.text) if update is not None else change.note
        rows.append((day, 0, Entry(at=day, what=status_label(change.to_status), note=note)))
    rows += [(u.on, 1, Entry(at=u.on, what=_("Progress"), note=localize(u.text)))
             for u in recommendation.updates if u.id not in joined]
    rows += [(h.sent_on, 0, Entry(at=h.sent_on, what=_("Passed on to %(to)s.", to=h.to_whom)))
             for h in recommendation.hand_ons]
    rows += [(h.answered_on, 0, Entry(at=h.answered_on, what=_("Answer from %(to)s.", to=h.to_whom)))
             for h in recommendation.hand_ons if h.answered_on]
    rows += [(p.presented_on, 0, Entry(at=p.presented_on, what=_("Presented to %(body)s.", body=p.body)))
             for p in recommendation.presentations]
    return [entry for _day, _order, entry in sorted(rows, key=lambda row: (row[0], row[1]))]


def measure_overdue(recommendation) -> bool:  # noqa: ANN001 - a Recommendation
    return recommendation.is_overdue(city_today())


def took_part_text(took_part) -> str:  # noqa: ANN001 - a queries.TookPart
    """"85 people took part." as every page says it."""
    return ngettext("%(num)d person took part.", "%(num)d people took part.", took_part.number)


def took_part_source(took_part) -> str:  # noqa: ANN001 - a queries.TookPart
    """Which count a "took part" number is, said beside it wherever it is shown."""
    if took_part.recorded:
        return _("The number staff recorded with the forum's results.")
    return _("No number is recorded with the results yet: these are the people checked in at the door, "
             "walk-ins included.")


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(took_part_text=took_part_text, took_part_source=took_part_source)
    app.jinja_env.tests["measure_overdue"] = measure_overdue
    app.jinja_env.globals.update(recommendation_status=status_label, status_badge=lambda s: BADGES.get(s, ""),
                                 measure_overdue=measure_overdue, presented_by=presented_by, presenters=presenters,
                                 recommendation_statuses=list(Status))
