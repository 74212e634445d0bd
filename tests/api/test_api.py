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
    assert client.get("/api/v1/topics?per_page=1000").json["per_page"] == 100
