"""Lists in the reader's alphabetical order (ICU collation), lists of names in another script without a particle
glued onto them, and left-to-right runs kept whole on right-to-left pages (issue 30)."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale
from wtforms import EmailField, StringField, TelField, URLField

from forum_app.core.extensions import db
from forum_app.i18n.collation import collated
from forum_app.i18n.formatting import format_list, format_separated
from forum_app.registrations.models import Registration, RegistrationStatus
from forum_app.web.forms import FlaskForm

from .. import factories


def _language_names(app, code: str) -> list[str]:
    from forum_app.planning.forms import language_choices

    with app.test_request_context(f"/{code}/"), force_locale(code):
        return [name for _code, name in language_choices()]


def test_persian_letters_outside_arabic_sit_in_their_place(app):
    names = _language_names(app, "fa")
    # پ after ب, چ after ج (before ح/خ/د), ک and گ after ق, before ل: code-point order put all of them after ی.
    assert names.index("بوسنیایی") < names.index("پرتغالی") < names.index("تاجیکی")
    assert names.index("تیگرینیایی") < names.index("چینی") < names.index("دری")
    assert names.index("فولانی") < names.index("کردی") < names.index("گرجی") < names.index("لهستانی")
    assert names[-1] == "یونانی"


def test_ukrainian_і_comes_after_и_and_not_after_ш(app):
    names = _language_names(app, "uk")
    assert names.index("дарі") < names.index("іспанська") < names.index("італійська") < names.index("йоруба")
    assert names.index("бенгальська") < names.index("бірманська") < names.index("боснійська")
    assert names[-1] == "шведська"


def test_swedish_å_ä_ö_come_last_in_that_order():
    assert collated(["ödla", "ärta", "åsna", "zebra"], lang="sv") == ["zebra", "åsna", "ärta", "ödla"]


def test_somali_names_dari_apart_from_persian(app):
    names = _language_names(app, "so")
    assert "Dari" in names and "Faarisi" in names and "Faarsi" not in names


NAMES = ["Äldreförvaltningen", "Seniorträffen Al-Amal", "Rädda Barnen"]


@pytest.mark.parametrize("code,expected", [
    ("ti", "Äldreförvaltningen፣ Seniorträffen Al-Amal፣ Rädda Barnen"),
    ("ar", "Äldreförvaltningen، Seniorträffen Al-Amal، Rädda Barnen"),
])
def test_no_particle_is_glued_onto_a_name_in_latin_letters(code, expected):
    """Babel writes "Seniorträffenን" (ti) and "وSeniorträffen" (ar): with a name in Latin letters the list is
    written with the script's comma."""
    text = format_list(NAMES, code)
    assert text == expected
    assert not re.search(r"[A-Za-zäö]ን|و[A-ZÄ]", text)


@pytest.mark.parametrize("code,items,expected", [
    ("ti", ["ዓረብኛ", "ትግርኛ"], "ዓረብኛን ትግርኛን"),  # the particle stays where it belongs
    ("ar", ["العربية", "الفارسية", "التغرينية"], "العربية والفارسية والتغرينية"),
    ("fa", ["عربی", "فارسی", "سومالی"], "عربی، فارسی و سومالی"),  # no comma before «و»
    ("sv", NAMES, "Äldreförvaltningen, Seniorträffen Al-Amal och Rädda Barnen"),
])
def test_lists_in_the_readers_own_script_keep_the_languages_and(code, items, expected):
    assert format_list(items, code) == expected


@pytest.mark.parametrize("code,expected", [("ar", "3، 7"), ("fa", "3، 7"), ("ti", "3፣ 7"), ("sv", "3, 7")])
def test_ages_to_edit_are_separated_with_the_scripts_comma(code, expected):
    assert format_separated([3, 7], code) == expected


class _Contact(FlaskForm):
    class Meta:
        csrf = False

    email = EmailField("Email")
    phone = TelField("Phone")
    site = URLField("Site")
    name = StringField("Name")


def test_email_phone_and_url_inputs_are_written_left_to_right(app):
    with app.test_request_context("/ar/"):
        form = _Contact()
        assert all('dir="ltr"' in str(field()) for field in (form.email, form.phone, form.site))
        assert "dir=" not in str(form.name())
        assert 'dir="auto"' in str(form.email(dir="auto"))  # a template may still choose


def test_the_list_filter_keeps_a_fallbacks_language_on_a_page_and_plain_text_in_an_email(app):
    from forum_app.i18n.content import LocalizedText

    items = [LocalizedText("Rädda Barnen & Co", "sv", "ar"), "الهلال الأحمر"]
    with app.test_request_context("/ar/"), force_locale("ar"):
        page = app.jinja_env.from_string("{{ items|format_list }}").render(items=items)
        text = app.jinja_env.from_string(
            "{% autoescape false %}{{ items|format_list }}{% endautoescape %}").render(items=items)
    assert page == '<span lang="sv" dir="ltr">Rädda Barnen &amp; Co</span> والهلال الأحمر'  # و on an Arabic word
    assert text == "Rädda Barnen & Co والهلال الأحمر"


def test_the_door_list_is_in_alphabetical_order_whatever_the_case(app):
    from forum_app.registrations.services import door_list

    with app.test_request_context("/sv/"):
        forum = factories.forum()
        for name in ("Zahra Ali", "amal Hassan", "Åsa Berg", "Ärla Ek", "Bashir Omar"):
            db.session.add(Registration(forum_id=forum.id, name=name, email=f"{name[:3].lower()}@example.org",
                                        language="sv", status=RegistrationStatus.CONFIRMED))
        db.session.commit()
        names = [r.name for r in door_list(forum.id)]
    assert names == ["amal Hassan", "Bashir Omar", "Zahra Ali", "Åsa Berg", "Ärla Ek"]
