import jsonschema
from openapi_spec_validator import validate

from forum_app.core.extensions import db
from forum_app.planning.models import ForumStatus
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories


def _schema(document: dict, name: str) -> dict:
    return {**document["paths"][name]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            "components": document["components"]}


def test_openapi_document_is_valid_and_matches_the_responses(client, app):
    with app.app_context():
        topic = factories.topic(titles={"ar": "إيجاد عمل"})
        forum = factories.forum(topic)
        db.session.add(Registration(forum_id=forum.id, name="Amal", email="amal@example.org",
                                    status=RegistrationStatus.CONFIRMED))
        factories.forum(topic, status=ForumStatus.DRAFT)
        db.session.commit()
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    for path in ("/api/v1/topics", "/api/v1/forums"):
        body = client.get(path).json
        jsonschema.validate(body, _schema(document, path))
    forums = client.get("/api/v1/forums").json
    assert forums["total"] == 1  # drafts are not open data
    item = forums["items"][0]
    assert item["confirmed"] == 1 and item["places_left"] == 99 and item["waiting"] == 0
    assert item["starts_at"].endswith("+00:00")
    assert "amal" not in client.get("/api/v1/forums").get_data(as_text=True).lower()


def test_lists_are_paged_up_to_one_hundred(client, app):
    with app.app_context():
        for n in range(5):
            factories.topic(title=f"Ämne {n}", year=2020 + n)
    page = client.get("/api/v1/topics?per_page=2&page=2").json
    assert page["total"] == 5 and len(page["items"]) == 2 and page["page"] == 2
    assert client.get("/api/v1/topics?per_page=100").json["per_page"] == 100
    too_many = client.get("/api/v1/topics?per_page=1000")  # refused, never quietly cut
    assert too_many.status_code == 400 and too_many.json["invalid_params"][0]["name"] == "per_page"


def test_a_wrong_filter_is_refused_in_the_client_s_language_never_ignored(client, app):
    """Issue 31: invalid filters were silently ignored, so a client got the whole list for a typo."""
    for url in ("/api/v1/forums?topic_id=abc", "/api/v1/recommendations?status=approved",
                "/api/v1/topics?year=1999", "/api/v1/recommendations?department=-1", "/api/v1/topics?page=0"):
        response = client.get(url, headers={"Accept-Language": "sv"})
        assert response.status_code == 400, url
        assert response.mimetype == "application/problem+json"
        body = response.json
        assert body["status"] == 400 and body["type"] == "about:blank" and body["invalid_params"]
        assert "parametern" in body["detail"].lower(), body["detail"]  # Swedish, as asked
    arabic = client.get("/api/v1/topics?year=abc", headers={"Accept-Language": "ar"}).json
    assert "year" in arabic["detail"] and arabic["detail"] != body["detail"]
    misspelt = client.get("/api/v1/forums?topicid=1")  # a misspelt filter is not quietly dropped either
    assert misspelt.status_code == 400 and "topic_id" in misspelt.json["detail"]


def test_a_method_the_api_does_not_take_answers_405_with_allow(client):
    response = client.post("/api/v1/forums")
    assert response.status_code == 405 and response.mimetype == "application/problem+json"
    assert "GET" in response.headers["Allow"]
    assert client.get("/api/v1/impact/1999").json["status"] == 404
