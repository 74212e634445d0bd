"""The yardstick for benchmarks/compare.py: a bare Flask + Flask-SQLAlchemy app on the same tables.

It serves what the platform's public pages show, from the same rows with the same number of queries:
a forum list with places left, one forum's invitation (topic, guiding questions, places, venue, food,
interpreters), a home page with the next four forums and the recommendations counted by status. One
small template per page and nothing else: no translations, no security headers, no sessions, no
caching rules, no layout shared between pages. Its requests/s are the ceiling the
stack allows; the platform is measured as a fraction of it.

    DATABASE_URL=sqlite:////tmp/x.sqlite3 gunicorn 'benchmarks.bare_app:create_app()'
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from flask import Flask, abort, current_app
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, joinedload, mapped_column, relationship


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Topic(db.Model):
    __tablename__ = "topic"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[dict] = mapped_column(JSON)
    questions: Mapped[list[GuidingQuestion]] = relationship(order_by="GuidingQuestion.position", lazy="raise")


class Forum(db.Model):
    __tablename__ = "forum"
    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"))
    hook: Mapped[dict] = mapped_column(JSON)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    venue_name: Mapped[str] = mapped_column(String)
    venue_address: Mapped[str] = mapped_column(String)
    capacity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String)
    description: Mapped[dict] = mapped_column(JSON)
    venue_access: Mapped[dict] = mapped_column(JSON)
    food: Mapped[dict] = mapped_column(JSON)
    interpretation_languages: Mapped[list] = mapped_column(JSON)
    moderator: Mapped[str] = mapped_column(String)
    topic: Mapped[Topic] = relationship(lazy="joined")


class GuidingQuestion(db.Model):
    __tablename__ = "guiding_question"
    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[dict] = mapped_column(JSON)


class Recommendation(db.Model):
    __tablename__ = "recommendation"
    id: Mapped[int] = mapped_column(primary_key=True)
    status: Mapped[str] = mapped_column(String)


class Registration(db.Model):
    __tablename__ = "registration"
    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id"))
    status: Mapped[str] = mapped_column(String)
    walk_in: Mapped[bool] = mapped_column(Boolean)


PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>Forums</title>
<link rel="stylesheet" href="/static/site.css"></head>
<body><header><a href="/{{ lang }}/">Migrant forum</a></header><main><h1>Forums</h1>
<ul>{% for forum in forums %}
<li class="card"><h3><a href="/{{ lang }}/forums/{{ forum.id }}">{{ forum.hook.get(lang) or forum.hook.get("sv") }}</a></h3>
<p>{{ forum.topic.title.get(lang) or forum.topic.title.get("sv") }}</p>
<p><strong>{{ forum.starts_at.strftime("%A %d %B %Y, %H:%M") }}–{{ forum.ends_at.strftime("%H:%M") }}</strong><br>
{{ forum.venue_name }}, {{ forum.venue_address }}</p>
<p>{{ forum.capacity - taken.get(forum.id, 0) }} places left</p></li>{% endfor %}
</ul>{{ extra }}</main></body></html>"""

# The invitation: everything the platform's forum page shows, as plain text.
FORUM_PAGE = """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ forum.hook.get(lang) or forum.hook.get("sv") }}</title>
<link rel="stylesheet" href="/static/site.css"></head>
<body><header><a href="/{{ lang }}/">Migrant forum</a></header><main><article>
<p>{{ forum.topic.title.get(lang) or forum.topic.title.get("sv") }}</p>
<h1>{{ forum.hook.get(lang) or forum.hook.get("sv") }}</h1>
<p>{{ forum.capacity - taken.get(forum.id, 0) }} places left</p>
<p><a href="/{{ lang }}/forums/{{ forum.id }}/register">Register</a></p>
<p>{{ forum.description.get(lang) or forum.description.get("sv") or "" }}</p>
<dl><dt>When</dt><dd>{{ forum.starts_at.strftime("%A %d %B %Y, %H:%M") }}–{{ forum.ends_at.strftime("%H:%M") }}</dd>
<dt>Where</dt><dd>{{ forum.venue_name }}<br>{{ forum.venue_address }}</dd></dl>
<p>{{ forum.venue_access.get(lang) or forum.venue_access.get("sv") or "" }}</p>
<ul><li>Food: {{ forum.food.get(lang) or forum.food.get("sv") or "served" }}</li>
<li>Interpreters: {{ forum.interpretation_languages|join(", ") }}</li><li>{{ forum.moderator }}</li></ul>
<ol>{% for question in forum.topic.questions %}<li>{{ question.text.get(lang) or question.text.get("sv") }}</li>{% endfor %}</ol>
<p><a href="/{{ lang }}/forums/{{ forum.id }}.ics">Calendar</a> · <a href="/{{ lang }}/forums/{{ forum.id }}/poster">Poster</a></p>
</article></main></body></html>"""


def _taken(forum_ids: list[int]) -> dict[int, int]:
    return dict(db.session.execute(
        select(Registration.forum_id, func.count()).where(
            Registration.forum_id.in_(forum_ids), Registration.status == "confirmed",
            Registration.walk_in.is_(False)).group_by(Registration.forum_id)).all())


def _render(forums: list[Forum], lang: str, extra: str = "") -> str:
    template = current_app.extensions["bare_page"]  # compiled once, as Flask does for template files
    return template.render(forums=forums, taken=_taken([f.id for f in forums]), lang=lang, extra=extra)


def create_app() -> Flask:
    app = Flask(__name__)
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    db.init_app(app)
    app.extensions["bare_page"] = app.jinja_env.from_string(PAGE)
    forum_page = app.jinja_env.from_string(FORUM_PAGE)
    public = ("published", "cancelled", "held", "documented")

    @app.route("/<lang>/forums/")
    def forums(lang: str):
        return _render(db.session.scalars(select(Forum).where(Forum.status.in_(public))
                                          .order_by(Forum.starts_at)).all(), lang)

    @app.route("/<lang>/forums/<int:forum_id>")
    def forum(lang: str, forum_id: int):
        found = db.session.get(Forum, forum_id, options=[joinedload(Forum.topic).joinedload(Topic.questions)])
        if found is None:
            abort(404)
        return forum_page.render(forum=found, taken=_taken([found.id]), lang=lang)

    @app.route("/<lang>/")
    def home(lang: str):
        now = datetime.now(timezone.utc)
        # The next four forums, and the tracker's counts as the platform's home page shows them.
        counts = db.session.execute(select(Recommendation.status, func.count()).group_by(Recommendation.status)).all()
        return _render(db.session.scalars(select(Forum).where(Forum.status.in_(public), Forum.ends_at >= now)
                                          .order_by(Forum.starts_at).limit(4)).all(), lang,
                       extra=" · ".join(f"{status}: {number}" for status, number in counts))

    return app
