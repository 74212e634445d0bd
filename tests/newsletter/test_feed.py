"""The Atom feed as feed readers read it (feedparser): every entry has an author, and every title is in
the feed's language or says in which language it is shown (an issue not yet translated)."""

from datetime import date, timedelta

import feedparser
import pytest

from forum_app.core.extensions import db
from forum_app.core.models_base import utcnow
from forum_app.newsletter.models import Issue, IssueStatus

from .conftest import LANGS

# The title of the issue written only in Swedish, as each feed shows it.
SWEDISH_ONLY = {"sv": "Nästa nyhetsbrev", "en": "Nästa nyhetsbrev (in Swedish)",
                "ar": "Nästa nyhetsbrev (باللغة السويدية)",
                "fa": "Nästa nyhetsbrev (به زبان سوئدی)", "so": "Nästa nyhetsbrev (oo ku qoran Iswiidhish)",
                "ti": "Nästa nyhetsbrev (ብስዊድንኛ)", "uk": "Nästa nyhetsbrev (мовою: шведська)"}
TRANSLATED = {"sv": "Vårens nyhetsbrev", "en": "Spring newsletter", "ar": "نشرة الربيع", "fa": "خبرنامهٔ بهار",
              "so": "Warsidaha guga", "ti": "ናይ ጽድያ ሓበሬታ", "uk": "Весняний випуск"}


@pytest.fixture
def two_sent_issues(app):
    with app.app_context():
        for days_ago, title in ((30, TRANSLATED), (2, {"sv": SWEDISH_ONLY["sv"]})):
            db.session.add(Issue(title=title, period_start=date(2027, 1, 1), period_end=date(2027, 4, 30),
                                 status=IssueStatus.SENT, sent_at=utcnow() - timedelta(days=days_ago)))
        db.session.commit()


@pytest.mark.parametrize("lang", LANGS)
def test_every_entry_has_an_author_and_a_title_in_the_feed_language(app, two_sent_issues, lang):
    app.config["CONTACT_EMAIL"] = "integration@exempelstad.se"
    response = app.test_client(use_cookies=False).get(f"/{lang}/newsletter/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = feedparser.parse(response.data)
    assert not feed.bozo and feed.version == "atom10" and feed.feed.language == lang
    assert [entry.title for entry in feed.entries] == [SWEDISH_ONLY[lang], TRANSLATED[lang]]  # the latest first
    for entry in feed.entries:
        assert entry.author_detail.name == "Integrationsenheten, Exempelstad"
        assert entry.author_detail.email == "integration@exempelstad.se"
        assert entry.author_detail.href == f"http://localhost/{lang}/"
