"""The resident's journey at 360 × 740 in Swedish, Arabic and Tigrinya, and the door on a phone (issue 28):
an error summary that lists and links every error in the first round, targets of 44 × 44 px, the answers'
summary stacked, a header no taller than a fifth of the screen, cancelling that asks first, and a door
that finds a name typed in another script. axe-core finds nothing serious on any page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.core.tokens import new_token
from forum_app.registrations.models import Registration, RegistrationStatus

from .. import factories

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"width": 360, "height": 740}
TARGET = 44  # CSS px, each way

# Every control a thumb aims at, measured with its label: a radio or checkbox counts its label's box too,
# since tapping the label ticks it. Links inside a sentence are left out (WCAG 2.5.8's inline exception).
MEASURE = """() => {
  const visible = el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0
      && getComputedStyle(el).visibility !== 'hidden' && !el.closest('details:not([open]) > :not(summary)'); };
  const inSentence = a => { const block = a.parentElement.closest('p, li, dd, td, span');
      return block && block.textContent.trim() !== a.textContent.trim(); };
  const controls = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
      .filter(visible).filter(el => !(el.tagName === 'A' && inSentence(el)));
  return controls.map(el => {
    let r = el.getBoundingClientRect();
    let [top, left, bottom, right] = [r.top, r.left, r.bottom, r.right];
    const label = el.id && document.querySelector(`label[for="${el.id}"]`);
    if (label && (el.type === 'radio' || el.type === 'checkbox')) {
      const l = label.getBoundingClientRect();
      [top, left, bottom, right] = [Math.min(top, l.top), Math.min(left, l.left), Math.max(bottom, l.bottom), Math.max(right, l.right)];
    }
    return {what: el.outerHTML.slice(0, 90), width: Math.round(right - left), height: Math.round(bottom - top)};
  });
}"""


def small_targets(page) -> list[dict]:
    return [c for c in page.evaluate(MEASURE) if c["width"] < TARGET or c["height"] < TARGET]


def stacked(page, selector: str = "dl.facts") -> bool:
    """Every label of the answers' summary sits above its value, none beside it."""
    return page.evaluate("""s => [...document.querySelectorAll(s + ' dt')].every(dt => {
        const dd = dt.nextElementSibling; return dd.getBoundingClientRect().top >= dt.getBoundingClientRect().bottom - 1; })""",
                         selector)


@pytest.fixture
def phone(browser):
    context = browser.new_context(bypass_csp=True, viewport=PHONE, locale="sv-SE")
    page = context.new_page()
    yield page
    context.close()


NAMES = {"sv": ("Åsa Öberg", ""), "ar": ("محمد علي", "Mohammed Ali"), "ti": ("ሓጎስ ተኽለ", "Hagos Tekle")}


@pytest.mark.parametrize("lang", ["sv", "ar", "ti"])
def test_register_with_mistakes_confirm_and_cancel_on_a_phone(phone, live_server, app, assert_accessible, lang):
    with app.app_context():
        forum_id = factories.forum(capacity=100, childcare_offered=True, interpretation_languages=["ar", "ti"]).id
    page = phone
    page.goto(f"{live_server}/{lang}/forums/{forum_id}")
    assert page.locator("a[href^='https://www.openstreetmap.org/search']").count() == 1  # the way there
    assert small_targets(page) == []
    page.goto(f"{live_server}/{lang}/forums/{forum_id}/register")
    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= PHONE["height"] / 5, header
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    # The forum's own languages come first in both lists.
    assert sorted(page.locator("#interpretation optgroup").first.locator("option").evaluate_all(
        "options => options.map(o => o.value)")) == ["", "ar", "ti"]
    assert sorted(page.locator("#spoken_language optgroup").first.locator("option").evaluate_all(
        "options => options.map(o => o.value)")) == ["", "ar", "sv", "ti"]
    page.locator("details.fold > summary").first.click()  # the name in Latin letters, opened: it is measured too
    assert small_targets(page) == []
    assert_accessible(page)

    # Every rule in the first round, listed at the top and linked to its field.
    page.locator("#name").fill(NAMES[lang][0])
    page.locator("#children_ages").fill("three")
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").first.click()
    summary = page.locator(".error-summary")
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    hrefs = summary.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == ["#email", "#children_ages", "#consent"]
    for href in hrefs:
        assert page.locator(f"{href}-error").is_visible()  # each field has its own message
        summary.locator(f"a[href='{href}']").click()
        assert page.locator(href).is_visible()
    assert page.title() != page.locator("h1").inner_text()  # "Error: …" first
    assert page.locator("#name").input_value() == NAMES[lang][0]  # what was typed is kept
    assert small_targets(page) == []
    assert_accessible(page)

    # A phone number alone: the page shows the registration code and the private link.
    if NAMES[lang][1]:
        page.locator("details.fold > summary").first.click()
        page.locator("#name_latin").fill(NAMES[lang][1])
    page.locator("#phone").fill("070 765 43 21")
    page.locator("#children_ages").fill("3")
    page.locator("#consent").check()
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").first.click()
    # The answers to check, then sent (nothing is saved before).
    assert page.locator(".summary-list").count() == 1
    assert small_targets(page) == []
    assert_accessible(page)
    with app.app_context():
        assert db.session.scalar(select(Registration)) is None
    with page.expect_navigation():
        page.locator("button.send").click()
    with app.app_context():
        registration = db.session.scalar(select(Registration))
        code, name_latin = registration.door_code, registration.name_latin
    assert name_latin == NAMES[lang][1] and len(code) == 5
    assert page.locator(".door-code").inner_text() == code
    assert stacked(page) and page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert small_targets(page) == []
    assert_accessible(page)

    # Cancelling asks first, with one button; then the private page says it is cancelled.
    private = page.locator("a.manage-link").get_attribute("href")  # written for the public address
    page.goto(live_server + private[private.index("/", len("https://")):])
    assert small_targets(page) == [] and stacked(page)
    assert_accessible(page)
    page.locator("main a[href$='/cancel']").click()
    page.wait_for_load_state()
    assert page.locator("main form button").count() == 1
    with app.app_context():
        assert db.session.scalar(select(Registration.status)) is RegistrationStatus.CONFIRMED  # asking changed nothing
    assert small_targets(page) == []
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main form button").click()
    assert page.url == live_server + private[private.index("/", len("https://")):]
    assert page.locator(".flash-success").count() == 1
    with app.app_context():
        assert db.session.scalar(select(Registration.status)) is RegistrationStatus.CANCELLED
    assert_accessible(page)


def screens(page) -> float:
    """The page's whole height in phone screens (740 CSS px)."""
    return page.evaluate("() => document.documentElement.scrollHeight") / PHONE["height"]


BOTTOM = "s => document.querySelector(s).getBoundingClientRect().bottom + scrollY"  # in CSS px from the top


def test_check_your_answers_in_arabic_on_a_phone(phone, live_server, app, assert_accessible):
    """The shortest registration, counted in taps and screens: the form, the answers to check (each with
    "Change", right to left), a change that comes back at its question with every answer kept, and one
    button that sends. docs/journey.md gives the numbers this test measures."""
    with app.app_context():
        forum_id = factories.forum(capacity=100, childcare_offered=True, interpretation_languages=["ar", "ti"]).id
    page, taps = phone, 0
    page.goto(f"{live_server}/ar/forums/{forum_id}")

    def tap(locator) -> None:  # noqa: ANN001 - a Playwright locator
        nonlocal taps
        taps += 1
        locator.click()

    with page.expect_navigation():
        tap(page.locator("main a[href$='/register']").first)
    form_screens = screens(page)
    continue_at = page.evaluate(BOTTOM, "form.form button") / PHONE["height"]
    tap(page.locator("#name"))
    page.keyboard.type("محمد علي")
    tap(page.locator("#phone"))
    page.keyboard.type("070 765 43 21")
    tap(page.locator("label[for=consent]"))
    with page.expect_navigation():
        tap(page.locator("form.form button[type=submit]").first)
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").inner_text() == "راجع إجاباتك"
    check_screens = screens(page)
    send_at = page.evaluate(BOTTOM, "button.send") / PHONE["height"]
    rows = page.locator(".summary-row")
    assert rows.count() == 10 and page.locator(".summary-row button").count() == 10
    # Right to left: the question starts at the right edge, "Change" sits at the row's end, on the left.
    name_row = page.locator(".summary-row:has(#answer-name)")
    question, change = name_row.locator("dt").bounding_box(), name_row.locator("button").bounding_box()
    value = name_row.locator(".summary-value").bounding_box()
    assert question["x"] + question["width"] > value["x"] + value["width"] - 1 and change["x"] < value["x"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    assert small_targets(page) == []
    assert_accessible(page)

    # "Change" the phone number: the form again, at that question, with every answer kept.
    with page.expect_navigation():
        page.locator(".summary-row:has(#answer-phone) button").click()
    assert page.url.endswith("/register/check#phone")
    assert page.locator("#phone").input_value() == "070 765 43 21"
    assert page.locator("#name").input_value() == "محمد علي" and page.locator("#consent").is_checked()
    box = page.locator("#phone").bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE["height"]  # scrolled to the question
    page.locator("#phone").fill("070 765 43 99")
    with page.expect_navigation():
        page.locator("form.form button[type=submit]").first.click()
    assert "070 765 43 99" in page.locator(".summary-row:has(#answer-phone)").inner_text()
    with app.app_context():
        assert db.session.scalar(select(Registration)) is None  # nothing saved before "Send"
    with page.expect_navigation():
        tap(page.locator("button.send"))
    assert page.locator(".door-code").count() == 1
    with app.app_context():
        assert db.session.scalar(select(Registration.phone)) == "0707654399"
    # From the forum page: Register, name, phone, the tick, Continue, Send (one tap more than without the
    # check step, the price of seeing every answer before it is sent).
    assert taps == 6
    # The measures docs/journey.md gives (Arabic, 360 × 740, the whole page with header and footer): the form
    # 3.9 screens, its "Continue" at 3.0; the answers to check 2.7, "Send" at 1.9. The check page is
    # shorter than the form, and its button is reached within two screens.
    assert check_screens < form_screens and send_at <= 2, (form_screens, continue_at, check_screens, send_at)


def test_the_feedback_form_has_big_targets_and_nothing_chosen(phone, live_server, app, assert_accessible):
    with app.app_context():
        forum = factories.forum(days=-1, interpretation_languages=["ar"], childcare_offered=True)
        from forum_app.planning.models import ForumStatus

        forum.status = ForumStatus.HELD
        db.session.commit()
        forum_id = forum.id
        from forum_app.impact import services as impact

        [code] = impact.make_slips(forum, 1)  # the slip the participant got at the door
        db.session.commit()
    phone.goto(f"{live_server}/ar/forums/{forum_id}/feedback")
    assert phone.locator("input[type=radio]").count() >= 20
    assert phone.locator("input[type=radio]:checked").count() == 0
    assert small_targets(phone) == []
    assert_accessible(phone)
    phone.locator("input[type=radio]").first.check()  # one answer, the rest not answered
    phone.locator("input[name=code]").fill(code)
    with phone.expect_navigation():
        phone.locator("main button[type=submit]").click()
    assert phone.locator(".error-summary").count() == 0 and phone.locator(".flashes").count() == 1
    assert phone.locator("input[type=radio]:checked").count() == 0  # the next person's slip starts afresh


def _registered(forum, name: str, name_latin: str = "", phone: str = "", status=RegistrationStatus.CONFIRMED):  # noqa: ANN001, ANN202
    _token, token_hash = new_token()
    registration = Registration(forum_id=forum.id, name=name, name_latin=name_latin, phone=phone, status=status,
                                token_hash=token_hash, consent_at=utcnow(), door_code=None)
    db.session.add(registration)
    db.session.commit()
    return registration


def test_the_door_finds_a_name_in_any_script_the_code_and_phone_digits(phone, live_server, app, make_user,
                                                                       assert_accessible):
    with app.app_context():
        forum = factories.forum(capacity=3, days=0)
        hagos = _registered(forum, "ሓጎስ ተኽለ", phone="+46707654321")
        hagos.door_code = "K7M4Q"
        _registered(forum, "Anna Berg", phone="+46701112233")
        _registered(forum, "محمد علي", status=RegistrationStatus.WAITING)
        db.session.commit()
        forum_id = forum.id
    make_user("door@example.org", "coreteam")
    page = phone
    page.goto(f"{live_server}/sv/login")
    page.locator("#email").fill("door@example.org")
    page.locator("#password").fill("correct horse battery")
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    page.goto(f"{live_server}/sv/admin/forums/{forum_id}/checkin")
    assert page.locator(".door-person").count() == 3  # everyone expected, as a list to tap
    assert page.locator("#q").bounding_box()["height"] >= TARGET
    assert small_targets(page) == []
    assert_accessible(page)
    text = page.locator("main").inner_text()
    assert "0707" not in text and "4321" not in text and "+46" not in text  # volunteers never see a number

    for typed in ("Hagos", "k7m 4q", "4321"):
        page.locator("#q").fill(typed)
        with page.expect_navigation():
            page.locator(".door-search button").click()
        assert page.locator(".door-person strong").first.inner_text() == "ሓጎስ ተኽለ", typed
    with page.expect_navigation():
        page.locator(".door-person").first.locator("button").click()  # one tap
    assert page.locator("#q").input_value() == ""  # the search is cleared for the next person
    page.locator("#q").fill("Mohammed")
    with page.expect_navigation():
        page.locator(".door-search button").click()
    row = page.locator(".door-person").first
    assert row.locator(".badge-warning").count() == 1  # on the waiting list, shown as such
    with page.expect_navigation():
        row.locator("button").click()  # "let in": there is room
    with app.app_context():
        rows = {r.name: r for r in db.session.scalars(select(Registration))}
        assert rows["ሓጎስ ተኽለ"].attended_at is not None and rows["Anna Berg"].attended_at is None
        assert rows["محمد علي"].status is RegistrationStatus.CONFIRMED and rows["محمد علي"].attended_at is not None
        assert len(rows) == 3  # nobody was added twice
    page.get_by_role("link", name="A", exact=True).click()
    page.wait_for_load_state()
    assert page.locator(".door-person").count() == 1
    assert_accessible(page)
