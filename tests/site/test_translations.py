"""Staff content in every language, or a visible gap (issue 30, items 4 and 5).

Publishing a forum and scheduling a newsletter issue that lack languages ask first and name them; the
translators' page lists what a language lacks and saves what is filled in, with an audit event; the
interpreters' XLIFF 2.0 file goes out and comes back (a unit whose Swedish changed meanwhile is skipped,
a broken file is refused whole with a message in the reader's language); and a newsletter email marks
a text shown in Swedish as a page does. Each runs on SQLite and on PostgreSQL (the app fixture).
"""

import io
import re
from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from translate.storage.xliff2 import Xliff2File

from forum_app.core.audit import AuditEvent
from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.core.timeutil import utc_to_local
from forum_app.i18n.content import LocalizedText, fallback_note_text, language_display_name
from forum_app.newsletter import services as newsletter
from forum_app.newsletter.models import Issue, IssueStatus, Section
from forum_app.newsletter.sending import IssueRenderer
from forum_app.planning.models import Forum, ForumStatus

from .. import factories
from ..conftest import csrf_token_from, submit, wait_until

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def _confirmation_form(html: str) -> dict:
    """What the confirmation page posts again: every hidden field, repeated names as lists."""
    fields: dict = {}
    for name, value in HIDDEN.findall(html):
        fields.setdefault(name, []).append(value)
    return fields


def test_publishing_a_forum_that_lacks_languages_asks_first_and_names_them(client, login, app):
    with app.app_context():
        forum = factories.forum(status=ForumStatus.DRAFT, hook={"sv": "Svårt att få jobb?", "ar": "عمل؟"},
                                description={"sv": "Kom och berätta.", "ar": "تعال وأخبرنا."})
        forum.food = {"sv": "Soppa", "ar": "حساء", "en": "Soup"}
        db.session.commit()
        forum_id = forum.id
    login("admin")
    page = f"/sv/admin/forums/{forum_id}"
    status = client.get(f"/en/admin/forums/{forum_id}").get_data(as_text=True)
    assert status.count("<strong>Missing</strong>") == 5  # the staff page: en, fa, so, ti, uk

    asked = submit(client, page + "/publish", {}, page=page)
    assert asked.status_code == 409
    html = asked.get_data(as_text=True)
    for name in ("engelska", "persiska", "somaliska", "tigrinja", "ukrainska"):
        assert name in html
    assert "arabiska" not in html.split("<form")[0]  # Arabic is complete: not named
    with app.app_context():
        assert db.session.get(Forum, forum_id).status is ForumStatus.DRAFT  # nothing published yet

    # A confirmation for an older list does not count: Persian is missing too.
    stale = submit(client, page + "/publish", {"accept_missing": ["en", "so", "ti", "uk"]}, page=page)
    assert stale.status_code == 409
    with app.app_context():
        assert db.session.get(Forum, forum_id).status is ForumStatus.DRAFT

    confirm = _confirmation_form(html)
    assert confirm["accept_missing"] == ["en", "fa", "so", "ti", "uk"]
    response = client.post(page + "/publish", data=confirm)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Forum, forum_id).status is ForumStatus.PUBLISHED
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "published",
                                                           AuditEvent.object_id == forum_id))
        assert event.changes["untranslated"] == [None, ["en", "fa", "so", "ti", "uk"]]


def test_a_forum_in_every_language_is_published_without_a_question(client, login, app):
    with app.app_context():
        everywhere = {code: f"Text {code}" for code in ("sv", "en", "ar", "fa", "so", "ti", "uk")}
        forum_id = factories.forum(status=ForumStatus.DRAFT, hook=everywhere).id
    login("admin")
    page = f"/sv/admin/forums/{forum_id}"
    assert submit(client, page + "/publish", {}, page=page).status_code == 302
    with app.app_context():
        assert db.session.get(Forum, forum_id).status is ForumStatus.PUBLISHED


def test_scheduling_an_issue_that_lacks_languages_asks_first_and_keeps_the_time(client, login, app):
    with app.app_context():
        issue = newsletter.create_issue({"sv": "Vårens nyhetsbrev", "ar": "نشرة الربيع", "en": "Spring news"},
                                        date(2027, 2, 1), date(2027, 3, 1))
        issue.sections.append(Section(position=0, kind="article", heading={"sv": "Nytt", "en": "News", "ar": "جديد"},
                                      body={"sv": "Vi har träffats.", "en": "We met.", "ar": "التقينا."}))
        db.session.commit()
        issue_id = issue.id
        send_at = (utc_to_local(utcnow()) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    login("admin")
    page = f"/en/admin/newsletter/{issue_id}"
    asked = submit(client, page + "/schedule", {"schedule-send_at": send_at}, page=page)
    assert asked.status_code == 409
    html = asked.get_data(as_text=True)
    assert "Persian" in html and "Tigrinya" in html and "Arabic" not in html.split("<form")[0]
    with app.app_context():
        assert db.session.get(Issue, issue_id).status is IssueStatus.DRAFT
    confirm = _confirmation_form(html)
    assert confirm["schedule-send_at"] == [send_at]  # the time typed is posted again
    assert client.post(page + "/schedule", data=confirm).status_code == 302
    with app.app_context():
        issue = db.session.get(Issue, issue_id)
        assert issue.status is IssueStatus.SCHEDULED and issue.send_at is not None


def test_a_translator_fills_in_a_language_on_its_page_and_it_is_audited(client, login, app):
    with app.app_context():
        forum = factories.forum(hook={"sv": "Svårt att få jobb?"})
        forum_id, topic_id = forum.id, forum.topic_id
    login("translator")
    page = "/ti/admin/translations/ti"
    html = client.get(page).get_data(as_text=True)
    assert "Svårt att få jobb?" in html and f'name="text-forum-{forum_id}-hook"' in html
    assert f'name="text-topic-{topic_id}-title"' in html
    token = csrf_token_from(html)

    response = client.post(page, data={
        "csrf_token": token,
        f"text-forum-{forum_id}-hook": "ስራ ምርካብ ከቢዱኩም?", f"source-forum-{forum_id}-hook": "Svårt att få jobb?",
        # made from a Swedish title that has changed since: skipped, not saved against the new text
        f"text-topic-{topic_id}-title": "ስራ ምርካብ", f"source-topic-{topic_id}-title": "En gammal titel"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Forum, forum_id).hook["ti"] == "ስራ ምርካብ ከቢዱኩም?"
        assert "ti" not in db.session.get(Forum, forum_id).topic.title
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "translated"))
        assert (event.object_type, event.object_id) == ("Forum", forum_id)
        assert event.changes == {"language": [None, "ti"], "translated": [None, ["hook"]]}
    after = client.get(page).get_data(as_text=True)
    assert f'name="text-forum-{forum_id}-hook"' not in after  # no longer missing
    assert f'name="text-topic-{topic_id}-title"' in after
    # The translator may not open anything else.
    assert client.get(f"/ti/admin/forums/{forum_id}").status_code == 403


def test_a_translation_too_long_is_refused_whole_and_keeps_what_was_typed(client, login, app):
    with app.app_context():
        forum_id = factories.forum(hook={"sv": "Svårt att få jobb?"}).id
    login("translator")
    page = "/uk/admin/translations/uk"
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    response = client.post(page, data={
        "csrf_token": token, f"text-forum-{forum_id}-hook": "Важко знайти роботу?" + "!" * 10_001,
        f"source-forum-{forum_id}-hook": "Svårt att få jobb?"})
    assert response.status_code == 400
    assert "Важко знайти роботу?" in response.get_data(as_text=True)
    with app.app_context():
        assert "uk" not in db.session.get(Forum, forum_id).hook


def test_the_interpreters_file_goes_out_and_comes_back(client, login, app):
    """The round trip: export Arabic, fill in the targets, upload. A unit whose Swedish was edited in the
    meantime is skipped and said so; the rest is saved, and the next file no longer has them."""
    with app.app_context():
        forum = factories.forum(hook={"sv": "Svårt att få jobb?"},
                                description={"sv": "Kom och berätta.\n\nVi bjuder på fika."})
        forum_id, topic_id = forum.id, forum.topic_id
    login("admin")
    download = client.get("/sv/admin/translations/ar/interpreters.xlf")
    assert download.status_code == 200 and download.mimetype == "application/xliff+xml"
    assert "attachment" in download.headers["Content-Disposition"]
    store = Xliff2File.parsestring(download.data)
    assert (store.getsourcelanguage(), store.gettargetlanguage()) == ("sv", "ar")
    units = {unit.getid(): unit for unit in store.units}
    assert units[f"forum-{forum_id}-description"].source == "Kom och berätta.\n\nVi bjuder på fika."
    assert "Svårt att få jobb?" in units[f"forum-{forum_id}-description"].getnotes()  # which forum, for the interpreter
    units[f"forum-{forum_id}-hook"].target = "هل تجد صعوبة في الحصول على عمل؟"
    units[f"forum-{forum_id}-description"].target = "تعال وأخبرنا.\n\nنقدم القهوة."
    units[f"topic-{topic_id}-title"].target = "إيجاد عمل"
    with app.app_context():  # staff edit the topic's Swedish title while the file is with the interpreter
        topic = db.session.get(Forum, forum_id).topic
        topic.title = {"sv": "Att hitta ett arbete"}
        db.session.commit()

    page = "/en/admin/translations/ar"
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    response = client.post(page + "/interpreters", data={"csrf_token": token, "file": (
        io.BytesIO(bytes(store)), "ar.xlf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    shown = client.get(page).get_data(as_text=True)
    assert "2 translations are saved." in shown
    assert "1 translation was not saved: its Swedish text has changed or been removed in the meantime." in shown
    with app.app_context():
        forum = db.session.get(Forum, forum_id)
        assert forum.hook["ar"] == "هل تجد صعوبة في الحصول على عمل؟"
        assert forum.description["ar"] == "تعال وأخبرنا.\n\nنقدم القهوة."
        assert "ar" not in forum.topic.title
    again = Xliff2File.parsestring(client.get("/sv/admin/translations/ar/interpreters.xlf").data)
    ids = {unit.getid() for unit in again.units}
    assert f"forum-{forum_id}-hook" not in ids and f"topic-{topic_id}-title" in ids


def test_a_broken_file_is_refused_whole_with_a_message_in_the_reader_s_language(client, login, app):
    with app.app_context():
        forum_id = factories.forum(hook={"sv": "Svårt att få jobb?"}).id
    login("admin")
    good = Xliff2File.parsestring(client.get("/ar/admin/translations/fa/interpreters.xlf").data)
    for unit in good.units:
        unit.target = "دشوار است؟"
    page = "/ar/admin/translations/fa"
    token = csrf_token_from(client.get(page).get_data(as_text=True))
    with app.test_request_context("/ar/"), force_locale("ar"):
        not_xliff = _("This is not an XLIFF 2.0 file. Upload the file you downloaded from this page, with the "
                      "translations filled in.")
    cut = bytes(good)[: len(bytes(good)) // 2]  # a file cut off halfway: not one unit of it is saved
    for data, expected in ((cut, not_xliff), (b"<?xml version='1.0'?><html/>", not_xliff),
                           (b"\xff\xfe garbage", not_xliff), (bytes(good).replace(b'trgLang="fa"', b'trgLang="ar"'),
                                                               None), (b"", None)):
        response = client.post(page + "/interpreters", data={"csrf_token": token, "file": (
            io.BytesIO(data), "fa.xlf")}, content_type="multipart/form-data")
        assert response.status_code == 400, data[:60]
        html = response.get_data(as_text=True)
        assert 'class="error-message"' in html
        if expected:
            assert expected in html
    with app.app_context():
        assert "fa" not in db.session.get(Forum, forum_id).hook


def test_an_issue_email_uses_each_language_s_subject_and_marks_what_is_shown_in_swedish(app):
    def note(lang: str) -> str:
        with force_locale(lang):
            return _("Not yet available in %(language)s, shown in %(fallback)s.",
                     language=language_display_name(lang), fallback=language_display_name("sv"))

    with app.test_request_context("/sv/"):
        factories.forum(hook={"sv": "Svårt att få jobb?"}, days=40)
        today = utc_to_local(utcnow()).date()
        issue = newsletter.create_issue({"sv": "Vårens nyhetsbrev", "ar": "نشرة الربيع"},
                                        today - timedelta(days=30), today)
        issue.sections.append(Section(position=9, kind="article", heading={"sv": "Nytt från kärngruppen"},
                                      body={"sv": "Vi har träffats."}))
        db.session.commit()
        coming = next(section for section in issue.sections if section.kind == "coming_forums")
        # The draft quotes the Swedish hook in every language, and marks it where it is not the reader's.
        assert "Svårt att få jobb?" in coming.body["ti"] and note("ti") in coming.body["ti"]
        assert note("sv") not in coming.body["sv"]
        renderer = IssueRenderer(issue)
        subject_ar, text_ar, html_ar = renderer.parts("ar")
        subject_ti, text_ti, html_ti = renderer.parts("ti")
        assert subject_ar == "نشرة الربيع" and subject_ti == "Vårens nyhetsbrev"  # each language's own subject
        assert '<h2 style="font-size:19px;margin:24px 0 8px;" lang="sv" dir="ltr">Nytt från kärngruppen</h2>' in html_ar
        assert note("ar") in html_ar and note("ar") in text_ar  # the article, shown in Swedish
        assert html_ti.count(note("ti")) >= 3 and text_ti.count(note("ti")) >= 3  # subject, article, forum


def test_a_registration_email_marks_a_hook_shown_in_swedish(app, client, smtp):
    with app.app_context():
        forum_id = factories.forum(hook={"sv": "Svårt att få jobb?", "ar": "عمل؟"}).id
    for lang, email in (("ti", "hagos@example.org"), ("ar", "amal@example.org")):
        page = submit(client, f"/{lang}/forums/{forum_id}/register", {
            "name": "ሓጎስ ተኽለ", "spoken_language": lang, "consent": "y", "email": email})
        assert page.status_code == 200, page.get_data(as_text=True)
    wait_until(lambda: smtp.to("hagos@example.org") and smtp.to("amal@example.org"), what="both confirmations")
    with app.test_request_context("/ti/"), force_locale("ti"):
        note = fallback_note_text(LocalizedText("Svårt att få jobb?", "sv", "ti"))
    tigrinya = smtp.to("hagos@example.org")[0]
    text, html = (tigrinya.get_body((kind,)).get_content() for kind in ("plain", "html"))
    assert note and "Svårt att få jobb?" in text and note in text and note in html
    arabic = smtp.to("amal@example.org")[0].get_body(("plain",)).get_content()
    assert "عمل؟" in arabic and "Svårt" not in arabic  # in the reader's language: no note
