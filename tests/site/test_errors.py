import pytest


def test_404_is_in_the_reader_language(client):
    response = client.get("/fa/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<html lang="fa" dir="rtl">' in html
    assert "<h1>" in html


def test_404_without_prefix_follows_accept_language(client):
    response = client.get("/no-such-page", headers={"Accept-Language": "so"})
    assert response.status_code == 404
    assert '<html lang="so" dir="ltr">' in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["sv", "ar"])
def test_unexpected_error_is_a_translated_500_page(app, client, lang):
    def boom():
        raise RuntimeError("boom")

    app.add_url_rule("/<lang:lang>/boom", "boom", boom)
    response = client.get(f"/{lang}/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}"' in html and "RuntimeError" not in html


def test_error_titles_differ_by_language(client):
    sv = client.get("/sv/nope").get_data(as_text=True)
    uk = client.get("/uk/nope").get_data(as_text=True)
    assert "Sidan hittades inte" in sv
    assert "Сторінку не знайдено" in uk
