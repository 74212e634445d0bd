import re

import pytest

from .. import factories

pytestmark = pytest.mark.browser

LABELS = {
    "ar": {"name": "اسمك", "email": "البريد الإلكتروني",
           "interpretation": "هل تحتاج إلى مترجم؟ إلى أي لغة؟", "children": "الأطفال الذين يحتاجون إلى رعاية: أعمارهم",
           "consent": "قرأت كيف تُستخدم معلوماتي (انظر أعلاه)", "continue": "متابعة", "send": "أرسل التسجيل", "save": "حفظ التغييرات",
           "cancel": "ألغِ تسجيلي"},
    "so": {"name": "Magacaaga", "email": "Cinwaanka iimaylka",
           "interpretation": "Ma u baahan tahay turjubaan? Luuqaddee?",
           "children": "Carruurta u baahan xannaanada: da'dooda",
           "consent": "Waxaan akhriyey sida xogtayda loo isticmaalo (eeg kor)", "continue": "Sii wad",
           "send": "Dir diiwaangelinta",
           "save": "Kaydi isbeddellada", "cancel": "Baaji diiwaangelintayda"},
}


@pytest.mark.parametrize("lang", ["ar", "so"])
def test_register_on_a_phone_get_the_email_change_and_cancel(page, live_server, app, smtp, assert_accessible, lang):
    words = LABELS[lang]
    with app.app_context():
        forum_id = factories.forum(capacity=150).id
    page.goto(f"{live_server}/{lang}/forums/{forum_id}/register")
    assert_accessible(page)
    # First a mistake: the page explains it next to the field and keeps what was typed.
    page.get_by_label(words["name"], exact=True).fill("Amal Haddad")
    page.get_by_label(words["email"], exact=True).fill("amal@example")
    with page.expect_navigation():
        page.get_by_role("button", name=words["continue"]).click()
    assert page.get_by_label(words["name"], exact=True).input_value() == "Amal Haddad"
    assert page.locator("#email-error").is_visible()
    assert_accessible(page)
    page.get_by_label(words["email"], exact=True).fill("amal@example.org")
    page.get_by_label(words["interpretation"]).select_option("ti")
    page.get_by_label(words["children"]).fill("3, 6")
    page.get_by_label(words["consent"]).check()
    with page.expect_navigation():
        page.get_by_role("button", name=words["continue"]).click()
    assert "amal@example.org" in page.locator(".summary-list").inner_text()  # the answers, to check
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name=words["send"]).click()
    assert page.locator("html").get_attribute("lang") == lang
    assert page.locator(".manage-link").count() == 0 and "amal@example.org" in page.locator("main").inner_text()
    assert_accessible(page)

    [message] = smtp.to("amal@example.org")
    link = re.search(r"http://localhost(/\w\w/registration/\S+)", message.get_body(("plain",)).get_content()).group(1)
    page.goto(live_server + link)
    assert_accessible(page)
    page.get_by_label(words["children"]).fill("3")
    with page.expect_navigation():
        page.get_by_role("button", name=words["save"]).click()
    assert page.get_by_label(words["children"]).input_value() == "3"
    page.get_by_role("link", name=words["cancel"]).click()  # asks first, with one button
    page.wait_for_url(live_server + link + "/cancel")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main form button").click()
    assert page.url == live_server + link
    page.goto(live_server + link)  # cancelled: read-only, with "download" and "delete" until anonymised
    assert page.get_by_label(words["children"]).count() == 0 and page.locator("main form").count() == 2
    assert_accessible(page)
    with app.app_context():
        from forum_app.core.extensions import db
        from forum_app.registrations.models import Registration, RegistrationStatus

        assert db.session.query(Registration).one().status is RegistrationStatus.CANCELLED
