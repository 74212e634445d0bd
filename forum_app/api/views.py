"""``/api/v1/...``: forums and topics (and, later, recommendations), paged, with stable field names."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, jsonify, request
from sqlalchemy import func, select

from ..core.extensions import db
from ..i18n import LANGUAGES
from ..impact.queries import indicators
from ..impact.serialize import indicators_json
from ..planning.queries import public_forums_query, public_places, public_topics_query
from ..recommendations.queries import public_query
from ..recommendations.serialize import recommendation_json
from ..web.http_cache import public_page
from ..web.links import external_url, int_arg
from .openapi import document

if TYPE_CHECKING:
    from ..planning.models import Forum, Topic

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_PER_PAGE = 100


def _page_args() -> tuple[int, int]:
    page = int_arg("page", 1, high=100_000)
    per_page = min(int_arg("per_page", 20), MAX_PER_PAGE)
    return page, per_page


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
    counts = public_places(forums)
    return [{
        "id": f.id, "topic_id": f.topic_id, "title": _translated(f.hook),
        "description": _translated(f.description),
        "starts_at": f.starts_at.isoformat(), "ends_at": f.ends_at.isoformat(),
        "venue": {"name": f.venue_name, "address": f.venue_address, "access": _translated(f.venue_access)},
        "capacity": f.capacity, "confirmed": counts[f.id].confirmed, "places_left": counts[f.id].places_left,
        "waiting": counts[f.id].waiting, "status": f.status.value,
        "interpretation_languages": list(f.interpretation_languages or []),
        "childcare": f.childcare_offered,
        "url": external_url("planning.forum", lang="sv", forum_id=f.id),
    } for f in forums]


@bp.route("/topics")
@public_page
def topics():
    return paged(public_topics_query(int_arg("year", low=2000, high=2100)), lambda rows: [topic_json(t) for t in rows])


@bp.route("/forums")
@public_page
def forums():
    return paged(public_forums_query(int_arg("topic_id")), forums_json)


@bp.route("/recommendations")
@public_page
def recommendations():
    query = public_query(request.args)
    return paged(query, lambda rows: [recommendation_json(r) for r in rows])


@bp.route("/impact/<int:year>")
@public_page
def impact(year: int):
    """The figures of the impact page and the annual report for one year, with the year before."""
    if not 2000 <= year <= 2100:
        return jsonify(error="no such year"), 404
    response = jsonify(indicators_json(indicators(year)))
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/openapi.json")
@public_page
def openapi():
    response = jsonify(document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
