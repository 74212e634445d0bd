import re

import pytest

from forum_app.i18n import LANGUAGES

NATIVE_NAMES = {"sv": "Svenska", "en": "English", "ar": "العربية", "fa": "فارسی",
                "so": "Soomaali", "ti": "ትግርኛ", "uk": "Українська"}


def test_root_redirects_to_swedish_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/sv/")


def test_root_follows_accept_language_including_regional_variants(client):
    assert client.get("/", headers={"Accept-Language": "uk-UA,uk;q=0.9"}).headers["Location"].endswith("/uk/")
    assert client.get("/", headers={"Accept-Language": "ar-SA"}).headers["Location"].endswith("/ar/")
    assert client.get("/", headers={"Accept-Language": "de, fa;q=0.5"}).headers["Location"].endswith("/fa/")


def test_a_chosen_language_wins_over_accept_language(client):
    client.get("/ti/language?next=/ti/")  # choosing a language in the switcher remembers it
    response = client.get("/", headers={"Accept-Language": "en"})
    assert response.headers["Location"].endswith("/ti/")


def test_reading_a_page_sets_no_language_cookie(client):
    assert client.get("/ti/").headers.getlist("Set-Cookie") == []
    assert client.get("/", headers={"Accept-Language": "en"}).headers["Location"].endswith("/en/")


def test_the_switcher_remembers_the_choice_and_keeps_the_page(client):
    response = client.get("/ar/language?next=/ar/forums/")
    assert response.status_code == 302 and response.headers["Location"] == "/ar/forums/"
    assert response.headers["Set-Cookie"].startswith("lang=ar;")
    assert "private" in response.headers["Cache-Control"]
    # Only an address of the chosen language on this site: never somewhere else.
    for target in ("//evil.example/", "https://evil.example/ar/", "/sv/forums/", "/ar/\\evil.example"):
        assert client.get("/ar/language", query_string={"next": target}).headers["Location"] == "/ar/"


def test_unknown_language_prefix_is_404(client):
    assert client.get("/de/").status_code == 404
    assert client.get("/xx/login").status_code == 404


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_page_carries_lang_and_dir(client, code):
    html = client.get(f"/{code}/").get_data(as_text=True)
    direction = "rtl" if code in ("ar", "fa") else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in html


def test_switcher_names_each_language_in_its_own_script_and_keeps_the_page(client):
    html = client.get("/en/login?next=/en/admin/").get_data(as_text=True)
    for code, name in NATIVE_NAMES.items():
        link = re.search(rf'<a href="([^"]+)" rel="nofollow" lang="{code}"[^>]*>{name}</a>', html)
        assert link, f"no switcher link for {code}"
        assert link.group(1).startswith(f"/{code}/language?next=/{code}/login"), link.group(1)
        assert client.get(link.group(1).replace("&amp;", "&")).headers["Location"].startswith(f"/{code}/login")
    assert 'hreflang="ar" href="http://localhost/ar/login?next=/en/admin/"' in html


def test_interface_text_is_in_the_page_language(client):
    assert "Logga in" in client.get("/sv/login").get_data(as_text=True)
    assert "تسجيل الدخول" in client.get("/ar/login").get_data(as_text=True)
    assert "Увійти" in client.get("/uk/login").get_data(as_text=True)


def test_dates_and_numbers_follow_the_reader_language(app):
    from datetime import datetime, timezone

    from flask_babel import format_datetime, format_decimal

    moment = datetime(2027, 3, 4, 17, 30, tzinfo=timezone.utc)  # 18:30 in Stockholm
    with app.test_request_context("/sv/"):
        app.preprocess_request()
        assert format_datetime(moment, "d MMMM HH:mm") == "4 mars 18:30"
        assert format_decimal(1234.5) == "1\xa0234,5"
    with app.test_request_context("/en/"):
        app.preprocess_request()
        assert format_datetime(moment, "d MMMM HH:mm") == "4 March 18:30"
    with app.test_request_context("/ar/"):
        app.preprocess_request()
        assert "مارس" in format_datetime(moment, "d MMMM")


def test_pages_point_to_their_other_languages(client):
    html = client.get("/so/topics/").get_data(as_text=True)
    head = html.split("</head>")[0]
    assert '<link rel="alternate" hreflang="ar" href="http://localhost/ar/topics/">' in head
    # The page itself is one of its alternates (Google's rule), and Swedish is the default.
    assert '<link rel="alternate" hreflang="so" href="http://localhost/so/topics/">' in head
    assert '<link rel="alternate" hreflang="x-default" href="http://localhost/sv/topics/">' in head
