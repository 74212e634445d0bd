"""A recommendation as open data: stable field names, every language, no personal data."""

from __future__ import annotations

from ..core.timeutil import city_today
from ..i18n import LANGUAGES
from ..web.links import external_url
from .models import Recommendation, Status


def _translated(value: dict) -> dict:
    return {code: value[code] for code in LANGUAGES if value.get(code)}


def recommendation_json(r: Recommendation) -> dict:
    return {
        "id": r.id, "topic_id": r.topic_id, "title": _translated(r.title), "text": _translated(r.text),
        "status": r.status.value,
        "department": [{"id": d.id, "name": _translated(d.name)} for d in r.departments],
        "responsible_role": _translated(r.responsible_role),
        "within_competence": r.within_competence, "route": _translated(r.route),
        "forum_ids": [f.id for f in r.forums],
        "presented_on": r.presented_on.isoformat() if r.presented_on else None,
        "due_on": r.due_on.isoformat() if r.due_on else None, "overdue": r.is_overdue(city_today()),
        "outcome": _translated(r.outcome), "decision_reason": _translated(r.decision_reason),
        "updated_at": r.updated_at.isoformat(),
        "history": [{"status": c.to_status.value, "at": c.at.isoformat(), "note": c.note}
                    for c in r.changes if c.to_status is not Status.DRAFT],
        "progress": [{"date": u.on.isoformat(), "text": _translated(u.text)} for u in r.updates],
        "url": external_url("recommendations.detail", lang="sv", recommendation_id=r.id),
    }
