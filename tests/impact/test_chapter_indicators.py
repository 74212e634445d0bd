"""Issue 27 item 3: every indicator of the chapter has a figure, a definition and a source, and each new
figure reads one number on the impact page, its CSV, the API and the annual report (HTML and PDF) for the
demo's past year (item 8: placed in the year before the day the suite runs, whatever that day is)."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import pypdf
from sqlalchemy import func, select

from forum_app.core.extensions import db
from forum_app.core.timeutil import city_today
from forum_app.demo import load_demo
from forum_app.impact.models import FeedbackAnswer
from forum_app.impact.queries import CHAPTER, SOURCES
from forum_app.planning.models import BudgetLine, Forum, Topic
from forum_app.recommendations.models import ForumResult, Presentation

from ..conftest import submit
from .helpers import held_forum

NEW = ("dialogue_departments", "mainstreamed", "against_discrimination", "against_discrimination_implemented",
       "presentations", "decision_makers_present", "daily_life", "cooperation", "measure_costs_planned",
       "measure_costs_actual")
# The demo's past year (load_demo_past_year in forum_app/impact/demo.py), counted by hand: four departments (two came to
# the forums, one to a core-team meeting, the others own measures), two of three accepted measures in the
# regular service, two against discrimination of which one is done, a presentation to 11 decision makers,
# 16 answers (5 of 8 per forum agree on daily life, 6 of 8 on cooperation), and the costs of three measures.
EXPECTED = {"dialogue_departments": 4, "mainstreamed": 66.7, "against_discrimination": 2,
            "against_discrimination_implemented": 1, "presentations": 1, "decision_makers_present": 11,
            "daily_life": 62.5, "cooperation": 75.0, "measure_costs_planned": 145000.0,
            "measure_costs_actual": 98500.0}


def _number(text: str) -> float:
    return float(re.sub(r"[^\d.]", "", text.replace("\u00a0", " ")))


def test_each_new_figure_reads_one_number_on_page_csv_api_and_report(app, client, demo):
    with app.app_context():
        year = city_today().year - 1
        # The current year's demo presentation falls in the year before when the suite runs early in a year.
        presented = db.session.scalar(select(func.count()).select_from(Presentation).where(
            Presentation.presented_on.between(date(year, 1, 1), date(year, 12, 31))))
        api = {f["key"]: f for f in client.get(f"/api/v1/impact/{year}").json["figures"]}
    expected = {**EXPECTED, "presentations": presented}
    assert presented >= 1 and {key: api[key]["value"] for key in NEW} == expected

    page = html.unescape(client.get(f"/en/impact/{year}").get_data(as_text=True))
    rows = {row[0]: row for row in csv.reader(io.StringIO(
        client.get(f"/en/impact/{year}.csv").get_data(as_text=True).lstrip("\ufeff")))}
    report = html.unescape(client.get(f"/en/impact/{year}/report").get_data(as_text=True))
    pdf = client.get(f"/en/impact/{year}/report.pdf")
    assert pdf.status_code == 200
    pdf_text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf.data)).pages).split())
    for key in NEW:
        card = re.search(rf'id="figure-{key}".*?class="figure-value">([^<]+)<', page, re.S).group(1)
        label, goal = re.search(rf'href="#figure-{key}">([^<]+): ([^<:]+)</a>', page).groups()
        in_report = re.search(rf'id="figure-{key}".*?class="figure-value">([^<]+)<', report, re.S).group(1)
        in_pdf = re.search(rf"{re.escape(label)}: (SEK )?([\d.,]+)", pdf_text).group(2)
        numbers = {_number(card), _number(goal), float(rows[key][2]), _number(in_report), _number(in_pdf),
                   float(api[key]["value"])}
        assert numbers == {expected[key]}, (key, numbers)
        assert rows[key][6].startswith("Source:")  # the source column, beside the definition

    sentences = re.search(r'id="year-in-numbers">([^<]+)<', report).group(1).replace("\u00a0", " ")
    assert "4 departments besides the integration office were in dialogue with residents." in sentences
    assert "2 accepted measures act against discrimination." in sentences
    assert "11 decision makers heard the recommendations presented." in sentences
    assert "The departments spent SEK 98,500" in sentences
    costs = re.search(r'id="measure-costs".*?</table>', report, re.S).group(0)
    assert {_number(n) for n in re.findall(r"<td>([^<]+)</td>", costs)} == {
        80000.0, 76500.0, 65000.0, 22000.0}  # employment; social services (two measures)


def test_every_indicator_of_the_chapter_has_figures_with_a_definition_and_a_source(app, client, demo):
    with app.app_context():
        year = city_today().year - 1
    page = html.unescape(client.get(f"/en/impact/{year}").get_data(as_text=True))
    assert len(CHAPTER) == 10
    for key, label, figure_keys in CHAPTER:
        assert f'id="indicator-{key}"' in page and str(label) in page
        for figure in figure_keys:
            card = re.search(rf'<li class="figure-card" id="figure-{figure}">(.*?)</li>', page, re.S).group(1)
            assert card.count('class="definition') == 2 and "Source:" in card, figure
    api = client.get(f"/api/v1/impact/{year}").json
    assert [i["key"] for i in api["indicators"]] == [key for key, _l, _f in CHAPTER]
    assert {f["source"] for f in api["figures"]} <= set(SOURCES)


def test_the_past_year_is_complete_whatever_the_day(app):
    with app.app_context():
        load_demo()
        load_demo()  # safe to run twice
        year = city_today().year - 1
        held = db.session.execute(select(Forum.id, ForumResult.attendance).join(Topic).join(ForumResult)
                                  .where(Topic.year == year)).all()
        assert sorted(n for _id, n in held) == [96, 141]
        assert all(db.session.get(Forum, i).ends_at.year in (year, year + 1) for i, _n in held)
        assert db.session.query(FeedbackAnswer).filter(FeedbackAnswer.forum_id.in_([i for i, _n in held])).count() == 16
        assert db.session.query(BudgetLine).filter(BudgetLine.year == year).count() == 7


def test_an_indicator_on_few_answers_says_so(app, client):
    from .helpers import answers

    with app.app_context():
        forum = held_forum()
        answers(forum, 4, daily_life=5, cooperation=5)
        year = forum.topic.year
    page = html.unescape(client.get(f"/en/impact/{year}").get_data(as_text=True))
    card = re.search(r'id="figure-daily_life"(.*?)</li>', page, re.S).group(1)
    assert "fewer than 5 answers this year, so it is not shown" in card and "figure-value\">–<" in card
    with app.app_context():
        answers(forum, 1, daily_life=2, cooperation=5)
    page = html.unescape(client.get(f"/en/impact/{year}").get_data(as_text=True))
    card = re.search(r'id="figure-daily_life"(.*?)</li>', page, re.S).group(1)
    assert "not shown" not in card and "80%" in card


def test_the_two_new_questions_are_answered_on_the_feedback_form(app, client):
    from forum_app.impact.services import make_slips

    with app.app_context():
        forum = held_forum()
        [code] = make_slips(forum, 1)
        forum_id = forum.id
    response = submit(client, f"/en/forums/{forum_id}/feedback",
                      {"daily_life": "4", "cooperation": "5", "code": code})
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        answer = db.session.scalar(select(FeedbackAnswer).where(FeedbackAnswer.forum_id == forum_id))
        assert (answer.daily_life, answer.cooperation, answer.credential is not None) == (4, 5, True)
