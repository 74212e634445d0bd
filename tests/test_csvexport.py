"""The CSV download helper every export goes through."""

from forum_app import create_app
from forum_app.web.csvexport import csv_response


def test_a_csv_download_names_its_charset_once(tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
                      "SECRET_KEY": "test", "INSTANCE_PATH": str(tmp_path)})
    with app.test_request_context("/sv/"):
        response = csv_response("x.csv", ["namn"], [["Åsa"], ["=1+1"]])
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.get_data().decode("utf-8").startswith("\ufeffnamn")
