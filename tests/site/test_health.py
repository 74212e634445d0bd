from forum_app import create_app


def test_healthz_is_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json["status"] == "ok" and response.json["database"] is True
    assert response.json["failed"] == [] and response.json["checks"] == {"database": "ok"}


def test_healthz_is_503_when_the_database_does_not_answer(tmp_path):
    from tests.pg import free_port

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "INSTANCE_PATH": str(tmp_path),
                      "DATABASE_URL": f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] is False and response.json["failed"] == ["database"]
