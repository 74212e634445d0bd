"""Status names and colours as readers see them."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..core.timeutil import city_today
from ..i18n.content import localize
from ..i18n.formatting import format_list
from ..i18n.labels import label, name_values
from .models import Status

STATUS_LABELS = name_values(Status, {
    Status.DRAFT: _l("Being drafted"),
    Status.AGREED: _l("Agreed by the core team"),
    Status.PRESENTED: _l("Presented to the city's leadership"),
    Status.ACCEPTED: _l("Accepted"),
    Status.DECLINED: _l("Declined"),
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
    """Who presented, as the public reads it: how many core-team members, and the officials' departments
    (a department is public; an official's name is not put on the tracker)."""
    parts = []
    if presentation.members:
        parts.append(ngettext("%(num)d member of the core team", "%(num)d members of the core team",
                              len(presentation.members)))
    departments = list(dict.fromkeys(localize(u.department.name).text for u in presentation.officials
                                     if u.department is not None))
    if departments:
        parts.append(_("officials from %(departments)s", departments=format_list(departments)))
    elif presentation.officials:
        parts.append(ngettext("%(num)d official", "%(num)d officials", len(presentation.officials)))
    return format_list(parts)


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
    app.jinja_env.globals.update(recommendation_status=status_label, status_badge=lambda s: BADGES.get(s, ""),
                                 measure_overdue=measure_overdue, presented_by=presented_by,
                                 recommendation_statuses=list(Status))
