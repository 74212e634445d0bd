"""Issue 27 item 1: one definition of "took part". The demo year reads the same participant number on
every page, file and API answer; the report's sentences agree with its tables; the cost per participant
divides by it. Item 2: who came back is in the year's figures everywhere too."""

from __future__ import annotations

import csv
import html
import io
import re

import pypdf
from sqlalchemy import select

from forum_app.core.extensions import db
from forum_app.core.timeutil import city_today
from forum_app.planning.models import Forum, ForumStatus, Topic
from forum_app.planning.services import budget_summary
from forum_app.recommendations.models import ForumResult
from forum_app.recommendations.queries import took_part

from .. import factories
from .helpers import held_forum, participant


def _demo_year(app) -> tuple[int, dict[int, int]]:  # noqa: ANN001 - an app with the demo data in it
    """The demo's current year and {held forum id: the number staff recorded with its results} (the year
    before has its own forums: test_chapter_indicators)."""
    with app.app_context():
        held = db.session.execute(select(Forum.id, Topic.year, ForumResult.attendance).join(Topic).join(ForumResult)
                                  .where(Forum.status.in_((ForumStatus.HELD, ForumStatus.DOCUMENTED)),
                                         Topic.year == city_today().year)).all()
    years = {year for _id, year, _n in held}
    assert len(years) == 1 and len(held) == 2, held
    return years.pop(), {forum_id: number for forum_id, _year, number in held}


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def test_the_demo_year_reads_one_participant_number_everywhere(app, client, demo):
    year, recorded = _demo_year(app)
    total = sum(recorded.values())
    assert total == 128 + 164

    for forum_id, number in recorded.items():  # each forum's public page
        page = html.unescape(client.get(f"/en/forums/{forum_id}").get_data(as_text=True))
        assert f"{number} people took part." in page
        assert "The number staff recorded with the forum's results." in page

    api_forums = {f["id"]: f["participants"] for f in client.get("/api/v1/forums?per_page=100").json["items"]}
    assert {i: api_forums[i] for i in recorded} == recorded
    with app.app_context():
        coming = set(db.session.scalars(select(Forum.id).where(Forum.status == ForumStatus.PUBLISHED)))
    assert coming and all(api_forums[i] is None for i in coming)  # null until held

    api = {f["key"]: f["value"] for f in client.get(f"/api/v1/impact/{year}").json["figures"]}
    assert api["participants"] == total

    page = html.unescape(client.get(f"/en/impact/{year}").get_data(as_text=True))
    card = re.search(r'id="figure-participants".*?class="figure-value">([^<]+)<', page, re.S)
    assert _number(card.group(1)) == total

    rows = {row[0]: row for row in csv.reader(io.StringIO(
        client.get(f"/en/impact/{year}.csv").get_data(as_text=True).lstrip("\ufeff")))}
    assert int(rows["participants"][2]) == total

    report = html.unescape(client.get(f"/en/impact/{year}/report").get_data(as_text=True))
    sentences = re.search(r'id="year-in-numbers">([^<]+)<', report).group(1)
    assert f"{total} people took part." in sentences and "In %d the migrant forum held 2 forums." % year in sentences
    table = re.search(r'id="r-forums".*?</table>', report, re.S).group(0)
    assert sorted(_number(n) for n in re.findall(r"<td>\s*([\d\s,\u00a0]+)\s*</td>", table)) == sorted(recorded.values())

    pdf = client.get(f"/en/impact/{year}/report.pdf")
    text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.data)).pages)
    assert f"{total} people took part." in " ".join(text.split())

    with app.app_context():  # the cost per participant, on the impact figures and on the budget page
        spent = budget_summary(year)
        costs = sum(line.actual or 0 for line in spent.lines if line.category.value != "implementation")
        assert api["cost_per_participant"] == round(float(costs) / total)
        assert {f: spent.attendance[f] for f in spent.attendance if f in recorded} == {
            f: recorded[f] for f in spent.attendance if f in recorded}
    assert f"The cost per participant was SEK {api['cost_per_participant']:,.0f}" in sentences.replace("\u00a0", " ")


def test_without_a_recorded_number_the_people_checked_in_count_and_the_page_says_so(app, client):
    with app.app_context():
        forum = held_forum(factories.topic(2027, "Arbete"))
        participant(forum)
        participant(forum, walk_in=True)
        participant(forum, present=False)  # registered, did not come
        coming = factories.forum(factories.topic(2027, "Media"))
        forum_id, coming_id = forum.id, coming.id
        assert {k: (v.number, v.recorded) for k, v in took_part([forum_id, coming_id]).items()} == {
            forum_id: (2, False)}
    page = html.unescape(client.get(f"/en/forums/{forum_id}").get_data(as_text=True))
    assert "2 people took part." in page and "these are the people checked in at the door" in page
    assert "took part" not in html.unescape(client.get(f"/en/forums/{coming_id}").get_data(as_text=True))
    with app.app_context():
        db.session.add(ForumResult(forum_id=forum_id, attendance=40))
        db.session.commit()
    page = html.unescape(client.get(f"/en/forums/{forum_id}").get_data(as_text=True))
    assert "40 people took part." in page and "recorded with the forum's results" in page
    items = {f["id"]: f for f in client.get("/api/v1/forums").json["items"]}
    assert (items[forum_id]["participants"], items[forum_id]["participants_recorded"]) == (40, True)
    assert (items[coming_id]["participants"], items[coming_id]["participants_recorded"]) == (None, None)


def test_who_came_back_is_in_the_years_figures_page_csv_api_and_report(app, client, demo):
    year, _recorded = _demo_year(app)
    api = {f["key"]: f["value"] for f in client.get(f"/api/v1/impact/{year}").json["figures"]}
    # Every other demo person comes to both held forums: six came back, each counted once.
    assert api["returning_participants"] == 6
    page = html.unescape(client.get(f"/en/impact/{year}").get_data(as_text=True))
    card = re.search(r'id="figure-returning_participants".*?class="figure-value">([^<]+)<', page, re.S)
    assert _number(card.group(1)) == 6
    rows = {row[0]: row for row in csv.reader(io.StringIO(
        client.get(f"/en/impact/{year}.csv").get_data(as_text=True).lstrip("\ufeff")))}
    assert int(rows["returning_participants"][2]) == 6
    report = html.unescape(client.get(f"/en/impact/{year}/report").get_data(as_text=True))
    assert "6 of them had taken part in an earlier forum too." in report


def test_someone_back_at_two_forums_of_a_year_is_counted_once(app_ctx):
    from forum_app.impact.queries import indicators
    from forum_app.registrations.queries import person_key

    key = person_key("amal@example.org", "")
    forums = [held_forum(factories.topic(2027, f"Ämne {n}"), days=-30 + 10 * n) for n in range(3)]
    for forum in forums:
        registration, _token = participant(forum)
        registration.person_key = key
    participant(forums[2])[0].person_key = person_key("", "0701234567")  # new: not back
    db.session.commit()
    assert indicators(2027).figure("returning_participants").value == 1
