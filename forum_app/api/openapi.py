"""The OpenAPI 3.1 document of the open data API; a test checks real responses against it."""

from __future__ import annotations

from flask import current_app

from ..i18n import LANGUAGES

TRANSLATED = {
    "type": "object",
    "description": "One text per language code; languages without a translation are left out.",
    "propertyNames": {"enum": list(LANGUAGES)},
    "additionalProperties": {"type": "string"},
}
DATETIME = {"type": "string", "format": "date-time", "description": "ISO 8601 with offset."}


def _page_of(ref: str) -> dict:
    return {
        "type": "object", "required": ["items", "total", "page", "per_page"], "additionalProperties": False,
        "properties": {"items": {"type": "array", "items": {"$ref": ref}},
                       "total": {"type": "integer", "minimum": 0},
                       "page": {"type": "integer", "minimum": 1},
                       "per_page": {"type": "integer", "minimum": 1, "maximum": 100}},
    }


YEAR = {"name": "year", "in": "query", "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}}


def _id(name: str) -> dict:
    return {"name": name, "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}


PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100_000, "default": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
]


PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
ERRORS = {
    "405": {"description": "A method other than GET (the `Allow` header names GET).", "content": PROBLEM},
}


def _list_operation(operation_id: str, summary: str, ref: str, extra: list | None = None) -> dict:
    return {"get": {
        "operationId": operation_id, "summary": summary, "parameters": PAGE_PARAMETERS + (extra or []),
        "responses": {"200": {"description": "A page of results.",
                              "content": {"application/json": {"schema": _page_of(ref)}}},
                      "400": {"description": "A parameter the operation does not have, or a value it does not "
                                             "allow (out of range, not a whole number, not one of the listed "
                                             "values): `invalid_params` names it. Never silently ignored.",
                              "content": PROBLEM},
                      **ERRORS},
    }}


STATUSES = ["agreed", "presented", "accepted", "declined", "in_progress", "implemented", "partly_implemented"]

FIGURE_KEYS = ["forums_held", "participants", "returning_participants", "registered", "present", "walk_ins",
               "interpretation_asked", "interpretation_met", "childcare_asked", "childcare_met",
               "accepted_implemented", "days_to_decision", "days_to_implementation", "departments",
               "dialogue_departments", "mainstreamed", "against_discrimination", "against_discrimination_implemented",
               "presentations", "decision_makers_present", "feedback_answers", "represented", "got_to_speak",
               "come_again", "daily_life", "cooperation", "cost_per_participant", "measure_costs_planned",
               "measure_costs_actual"]
SOURCE_KEYS = ["registrations", "results", "recommendations", "departments", "presentations", "feedback", "budget"]
INDICATOR_KEYS = ["mainstreaming", "direct_dialogue", "implemented", "own_dialogue", "taken_up", "discrimination",
                  "decision_makers", "represented", "daily_life", "cooperation"]

NUMBER_OR_NULL = {"type": ["number", "null"], "description": "null when the data cannot tell (e.g. fewer "
                                                               "than 5 feedback answers)."}

SCHEMAS = {
    "Problem": {
        "type": "object", "required": ["type", "title", "status", "detail"],
        "description": "RFC 9457 problem details, in the language of Accept-Language.",
        "properties": {
            "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string"}, "error": {"type": "string", "description": "The title again (version 1)."},
            "invalid_params": {"type": "array", "items": {
                "type": "object", "required": ["name", "reason"],
                "properties": {"name": {"type": "string"}, "reason": {"type": "string"}}}},
        },
    },
    "Impact": {
        "type": "object", "additionalProperties": False, "required": ["year", "figures", "breakdowns"],
        "properties": {
            "year": {"type": "integer"},
            "indicators": {"type": "array", "description": "The chapter's ten impact indicators, in its order, "
                                                           "each with the keys of the figures that answer it.",
                           "items": {"type": "object", "additionalProperties": False, "required": ["key", "figures"],
                                     "properties": {"key": {"enum": INDICATOR_KEYS},
                                                    "figures": {"type": "array", "items": {"enum": FIGURE_KEYS}}}}},
            "figures": {"type": "array", "items": {
                "type": "object", "additionalProperties": False,
                "required": ["key", "unit", "value", "previous_year"],
                "properties": {
                    "key": {"enum": FIGURE_KEYS},
                    "source": {"enum": SOURCE_KEYS, "description": "Where the figure's data arises: registrations "
                               "and check-ins, results recorded by staff, recommendations, departments present "
                               "or owning a measure, presentations to decision makers, feedback, budget."},
                    "unit": {"enum": ["count", "percent", "days", "money"],
                             "description": "percent: 0-100; days: a median; money: kronor."},
                    "value": NUMBER_OR_NULL, "previous_year": NUMBER_OR_NULL}}},
            "breakdowns": {"type": "array", "items": {
                "type": "object", "additionalProperties": False, "required": ["key", "unit", "rows"],
                "properties": {
                    "key": {"enum": ["participants_by_language", "recommendations_by_status",
                                     "recommendations_by_department", "feedback", "measure_costs_by_department"]},
                    "unit": {"enum": ["count", "percent", "money"]},
                    "rows": {"type": "array", "items": {
                        "type": "object", "additionalProperties": False,
                        "required": ["key", "label", "value", "previous_year"],
                        "properties": {"key": {"type": "string", "description": "A language code, status, "
                                                                                  "department id or figure key."},
                                       "label": {"type": "string", "description": "In Swedish."},
                                       "value": NUMBER_OR_NULL, "previous_year": NUMBER_OR_NULL}}}}}},
        },
    },
    "Recommendation": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "topic_id", "text", "status", "department", "within_competence", "updated_at", "history"],
        "properties": {
            "id": {"type": "integer"}, "topic_id": {"type": "integer"}, "title": TRANSLATED, "text": TRANSLATED,
            "status": {"enum": STATUSES},
            "department": {"type": "array", "description": "The departments it is addressed to.",
                           "items": {"type": "object", "required": ["id", "name"], "additionalProperties": False,
                                     "properties": {"id": {"type": "integer"}, "name": TRANSLATED}}},
            "responsible_role": TRANSLATED, "within_competence": {"type": "boolean"}, "route": TRANSLATED,
            "forum_ids": {"type": "array", "items": {"type": "integer"}},
            "presented_on": {"type": ["string", "null"], "format": "date"},
            "due_on": {"type": ["string", "null"], "format": "date",
                       "description": "The measure's planned completion date."},
            "overdue": {"type": "boolean", "description": "Accepted, not yet implemented, and the date has passed."},
            "outcome": TRANSLATED, "decision_reason": TRANSLATED, "updated_at": DATETIME,
            "history": {"type": "array", "items": {
                "type": "object", "required": ["status", "at"], "additionalProperties": False,
                "properties": {"status": {"enum": STATUSES}, "at": DATETIME, "note": {"type": "string"}}}},
            "progress": {"type": "array", "items": {
                "type": "object", "required": ["date", "text"], "additionalProperties": False,
                "properties": {"date": {"type": "string", "format": "date"}, "text": TRANSLATED}}},
            "url": {"type": "string", "format": "uri"},
        },
    },
    "Topic": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "year", "title", "questions", "origin", "within_competence", "url"],
        "properties": {
            "id": {"type": "integer"}, "year": {"type": "integer"}, "title": TRANSLATED, "background": TRANSLATED,
            "questions": {"type": "array", "items": TRANSLATED, "description": "The guiding questions, in order."},
            "origin": {"enum": ["officials", "associations", "both", "coreteam"]},
            "within_competence": {"type": "boolean"}, "district": {"type": ["string", "null"]},
            "url": {"type": "string", "format": "uri"},
        },
    },
    "Forum": {
        "type": "object", "additionalProperties": False,
        "required": ["id", "topic_id", "title", "starts_at", "ends_at", "venue", "capacity", "confirmed",
                     "places_left", "waiting", "status", "participants", "url"],
        "properties": {
            "id": {"type": "integer"}, "topic_id": {"type": "integer"},
            "title": TRANSLATED, "description": TRANSLATED, "starts_at": DATETIME, "ends_at": DATETIME,
            "venue": {"type": "object", "required": ["name", "address"], "additionalProperties": False,
                      "properties": {"name": {"type": "string"}, "address": {"type": "string"}, "access": TRANSLATED}},
            "capacity": {"type": "integer", "minimum": 1}, "confirmed": {"type": "integer", "minimum": 0},
            "places_left": {"type": "integer", "minimum": 0}, "waiting": {"type": "integer", "minimum": 0},
            "status": {"enum": ["published", "cancelled", "held", "documented"]},
            "interpretation_languages": {"type": "array", "items": {"type": "string"}},
            "childcare": {"type": "boolean"}, "url": {"type": "string", "format": "uri"},
            "participants": {"type": ["integer", "null"], "minimum": 0,
                             "description": "How many people took part: the number recorded with the forum's "
                                            "results, else those checked in (walk-ins included). null until "
                                            "the forum is held. The impact figure `participants` is the sum of "
                                            "a year's forums."},
            "participants_recorded": {"type": ["boolean", "null"],
                                      "description": "true: `participants` is the number recorded with the "
                                                     "results; false: counted at the door; null until held."},
        },
    },
}


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Migrant forum open data", "version": "1.0.0",
                 "description": "Topics, forums and recommendations of the city's migrant forum. "
                                "No personal data. Texts are given in every language they exist in.",
                 "license": {"name": "CC0-1.0", "identifier": "CC0-1.0"}},
        # The site's configured address, never the request's Host header (which anyone can set).
        "servers": [{"url": current_app.config["BASE_URL"].rstrip("/")}],
        "paths": {
            "/api/v1/topics": _list_operation("listTopics", "The forum's topics, newest year first.",
                                              "#/components/schemas/Topic", [YEAR]),
            "/api/v1/forums": _list_operation("listForums", "Public forums, newest first.",
                                              "#/components/schemas/Forum", [_id("topic_id")]),
            "/api/v1/recommendations": _list_operation(
                "listRecommendations", "Recommendations past the draft stage, with their history.",
                "#/components/schemas/Recommendation",
                [YEAR, _id("topic"), {"name": "status", "in": "query", "schema": {"enum": STATUSES}},
                 _id("department")]),
            "/api/v1/impact/{year}": {"get": {
                "operationId": "getImpact",
                "summary": "The year's impact figures (forums, participants, needs met, recommendations, "
                           "departments, decision makers, feedback, costs), each with the year before and its "
                           "source, and the chapter's indicators they answer.",
                "parameters": [{"name": "year", "in": "path", "required": True,
                                "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}}],
                "responses": {"200": {"description": "The figures.", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Impact"}}}},
                    "400": {"description": "A query parameter (this operation has none).", "content": PROBLEM},
                    "404": {"description": "A year outside 2000-2100.", "content": PROBLEM},
                    **ERRORS}}},
        },
        "security": [],  # open data: no authentication
        "components": {"schemas": SCHEMAS},
    }
