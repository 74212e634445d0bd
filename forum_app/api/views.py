"""``/api/v1/...``: forums and topics (and, later, recommendations), paged, with stable field names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..core.extensions import db
from ..i18n import LANGUAGES
from ..impact.queries import indicators
from ..impact.serialize import indicators_json
from ..planning.queries import public_forums_query, public_places, public_topics_query
from ..recommendations.queries import public_query, took_part
from ..recommendations.serialize import recommendation_json
from ..web.http_cache import public_page
from ..web.links import MAX_ID, external_url
from ..web.problems import problem
from .openapi import STATUSES, document

if TYPE_CHECKING:
    from ..planning.models import Forum, Topic

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_PER_PAGE = 100


class BadParameter(Exception):
    """A query parameter the OpenAPI document declares, with a value it does not allow: 400, saying which."""

    def __init__(self, name: str, detail: str) -> None:
        super().__init__(detail)
        self.name, self.detail = name, detail


def _whole(name: str, low: int, high: int, default: int | None = None) -> int | None:
    """``?name=``, a whole number from ``low`` to ``high``; absent gives ``default``; anything else is refused
    (never silently ignored: a client that typed a wrong filter must not take the unfiltered list for it)."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if raw.strip().isdigit() and raw.strip().isascii() and low <= int(raw) <= high:
        return int(raw)
    raise BadParameter(name, _("The parameter %(name)s must be a whole number from %(low)d to %(high)d.",
                               name=name, low=low, high=high))


def _only(*names: str) -> None:
    """Refuse a parameter the operation does not have: a misspelt filter (``topicid=3``) would otherwise
    answer the whole list as if it were the filtered one."""
    for name in request.args:
        if name not in names:
            raise BadParameter(name, _("There is no parameter %(name)s here. The parameters are: %(names)s.",
                                       name=name, names=", ".join(names) or "–"))


def _one_of(name: str, allowed: list[str]) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw in allowed:
        return raw
    raise BadParameter(name, _("The parameter %(name)s must be one of these values: %(values)s.",
                               name=name, values=", ".join(allowed)))


@bp.errorhandler(BadParameter)
def bad_parameter(error: BadParameter):  # noqa: ANN201 - the problem's response
    return problem(400, error.detail, invalid_params=[{"name": error.name, "reason": error.detail}])


def _page_args() -> tuple[int, int]:
    return _whole("page", 1, 100_000, 1), _whole("per_page", 1, MAX_PER_PAGE, 20)


def paged(query, serialize):  # noqa: ANN001, ANN201
    """Run ``query`` one page at a time; the answer has ``items``, ``total``, ``page`` and ``per_page``."""
    page, per_page = _page_args()
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    response = jsonify(items=serialize(rows), total=total, page=page, per_page=per_page)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _translated(value: dict) -> dict:
    return {code: value[code] for code in LANGUAGES if value.get(code)}


def topic_json(topic: Topic) -> dict:
    return {
        "id": topic.id, "year": topic.year, "title": _translated(topic.title),
        "background": _translated(topic.background),
        "questions": [_translated(q.text) for q in topic.questions],
        "origin": topic.origin.value, "within_competence": topic.within_competence,
        "district": topic.district or None,
        "url": external_url("planning.topics", lang="sv", year=topic.year, _anchor=f"topic-{topic.id}"),
    }


def forums_json(forums: list[Forum]) -> list[dict]:
    counts, people = public_places(forums), took_part(f.id for f in forums)
    return [{
        "id": f.id, "topic_id": f.topic_id, "title": _translated(f.hook),
        "description": _translated(f.description),
        "starts_at": f.starts_at.isoformat(), "ends_at": f.ends_at.isoformat(),
        "venue": {"name": f.venue_name, "address": f.venue_address, "access": _translated(f.venue_access)},
        "capacity": f.capacity, "confirmed": counts[f.id].confirmed, "places_left": counts[f.id].places_left,
        "waiting": counts[f.id].waiting, "status": f.status.value,
        "interpretation_languages": list(f.interpretation_languages or []),
        "childcare": f.childcare_offered,
        "participants": people[f.id].number if f.id in people else None,
        "participants_recorded": people[f.id].recorded if f.id in people else None,
        "url": external_url("planning.forum", lang="sv", forum_id=f.id),
    } for f in forums]


@bp.route("/topics")
@public_page
def topics():
    _only("page", "per_page", "year")
    return paged(public_topics_query(_whole("year", 2000, 2100)), lambda rows: [topic_json(t) for t in rows])


@bp.route("/forums")
@public_page
def forums():
    _only("page", "per_page", "topic_id")
    return paged(public_forums_query(_whole("topic_id", 1, MAX_ID)), forums_json)


@bp.route("/recommendations")
@public_page
def recommendations():
    _only("page", "per_page", "year", "topic", "status", "department")
    _whole("year", 2000, 2100), _whole("topic", 1, MAX_ID), _whole("department", 1, MAX_ID)
    _one_of("status", STATUSES)  # checked here; public_query, shared with the tracker's page, filters
    query = public_query(request.args)
    return paged(query, lambda rows: [recommendation_json(r) for r in rows])


@bp.route("/impact/<int:year>")
@public_page
def impact(year: int):
    """The figures of the impact page and the annual report for one year, with the year before."""
    _only()
    if not 2000 <= year <= 2100:
        return problem(404, _("There are no figures for the year %(year)d.", year=year))
    response = jsonify(indicators_json(indicators(year)))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/openapi.json")
@public_page
def openapi():
    response = jsonify(document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
