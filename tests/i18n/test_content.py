"""Translated content: one value per language, shown in the reader's language with a visible fallback."""

import pytest
from flask import render_template_string
from sqlalchemy import Column, Integer, MetaData, Table, insert, select

from forum_app.core.extensions import db
from forum_app.i18n.content import TranslatedText, localize


@pytest.fixture
def notes_table(app_ctx):
    metadata = MetaData()
    table = Table("test_translated_note", metadata, Column("id", Integer, primary_key=True),
                  Column("body", TranslatedText()))
    metadata.create_all(db.engine)
    yield table
    db.session.rollback()  # release the session's locks before the table goes
    metadata.drop_all(db.engine)


def test_translated_text_round_trips_on_the_database(notes_table):
    db.session.execute(insert(notes_table).values(id=1, body={"sv": " Hej ", "ar": "مرحبا", "en": "", "xx": "no"}))
    db.session.commit()
    stored = db.session.execute(select(notes_table.c.body)).scalar_one()
    assert stored == {"sv": "Hej", "ar": "مرحبا"}


def test_localize_prefers_the_reader_then_swedish():
    value = {"sv": "Hitta jobb", "so": "Shaqo raadin"}
    assert localize(value, "so").text == "Shaqo raadin"
    fallback = localize(value, "ar")
    assert (fallback.text, fallback.lang, fallback.is_fallback) == ("Hitta jobb", "sv", True)
    assert localize({"en": "Only English"}, "fa").lang == "en"
    assert not localize({}, "sv")


def test_fallback_is_marked_with_its_language_and_a_note(app):
    template = ('{% from "macros/content.html" import translated_block %}'
                '<h1>{{ title|tr }}</h1>{{ translated_block(body) }}')
    with app.test_request_context("/ar/"):
        app.preprocess_request()
        html = render_template_string(template, title={"sv": "Äldre migranter"}, body={"sv": "Första.\n\nAndra."})
    assert '<span lang="sv" dir="ltr">Äldre migranter</span>' in html
    assert '<div class="prose" lang="sv" dir="ltr">' in html and "<p>Andra.</p>" in html
    assert "السويدية" in html  # "shown in Swedish", said in Arabic


def test_no_note_when_the_text_is_in_the_reader_language(app):
    with app.test_request_context("/sv/"):
        app.preprocess_request()
        html = render_template_string('{% from "macros/content.html" import translated_block %}'
                                      '{{ translated_block(body) }}', body={"sv": "Hej"})
    assert "fallback-note" not in html


def test_translated_field_keeps_each_language_and_requires_swedish(app):
    from flask_wtf import FlaskForm
    from werkzeug.datastructures import MultiDict

    from forum_app.i18n.forms import TranslatedTextField

    class Form(FlaskForm):
        class Meta:
            csrf = False

        title = TranslatedTextField("Title")

    with app.test_request_context("/sv/"):
        form = Form(formdata=MultiDict({"title-ar": "عنوان", "title-so": "  "}))
        assert not form.validate()
        assert form.title.data == {"ar": "عنوان"}
        form = Form(formdata=MultiDict({"title-sv": "Rubrik", "title-ar": "عنوان"}))
        assert form.validate()
        assert form.title.data == {"sv": "Rubrik", "ar": "عنوان"}
