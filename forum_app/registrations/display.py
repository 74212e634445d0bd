"""How a registration's needs read, in the reader's language (pages, emails, staff lists)."""

from __future__ import annotations

from typing import NamedTuple

from flask import Flask
from flask_babel import gettext as _
from flask_babel import ngettext, pgettext

from ..i18n.content import language_display_name
from ..i18n.formatting import format_list
from ..i18n.labels import label, name_values
from ..planning.language_list import INTERPRETATION_LANGUAGES
from .diets import known_diets
from .forms import parse_ages
from .models import Registration, RegistrationStatus


def language_label(value: str) -> str:
    """A code from the list is named in the reader's language; a typed language is shown as typed."""

    return language_display_name(value) if value in INTERPRETATION_LANGUAGES else value


def registration_needs(registration: Registration) -> list[tuple[str, str]]:
    needs = []
    if registration.spoken_language:
        needs.append((_("Language you will speak"), language_label(registration.spoken_language)))
    needs.append((_("Interpreter"), language_label(registration.interpretation_language)
                  if registration.interpretation_language else _("Not needed")))
    if registration.children_ages:
        ages = format_list(registration.children_ages)
        needs.append((_("Childcare"), ngettext("%(num)d child, age %(ages)s", "%(num)d children, ages %(ages)s",
                                               registration.children_count, ages=ages)))
    if registration.access_needs:
        needs.append((_("Access needs"), registration.access_needs))
    if registration.diets or registration.dietary_needs:
        # A label without a colon of its own: it goes into "%(label)s: %(value)s" in emails.
        needs.append((_("Food (allergies or diet)"), food_needs(registration)))
    return needs


def food_needs(registration: Registration) -> str:
    """The ticked diets in the reader's language, then what the person wrote, as written."""
    food = [label(diet) for diet in known_diets(registration.diets)]
    if registration.dietary_needs:
        food.append(registration.dietary_needs)
    return format_list(food) if food else ""


class Answer(NamedTuple):
    """One row of the check-your-answers page: the question, the answer as it reads, and the field its
    "Change" button goes back to (``anchor`` is that field's id on the form)."""

    label: str
    value: str
    field: str
    anchor: str


def answers_to_check(form, forum) -> list[Answer]:  # noqa: ANN001 - forms.RegistrationForm, planning Forum
    """Every answer of a checked registration form, in the form's order, as the confirmation names them.
    A question left empty says so ("Not given"), so that a person sees what they skipped; the name in
    Latin letters, asked only of names in another script, is listed when given."""
    not_given = _("Not given")
    rows = [Answer(_("Your name"), form.name.data, "name", "name")]
    if form.name_latin.data:
        rows.append(Answer(_("Your name in Latin letters (A to Z)"), form.name_latin.data, "name_latin", "name_latin"))
    rows += [Answer(_("Email address"), form.email.data or not_given, "email", "email"),
             Answer(_("Phone number"), form.phone.data or not_given, "phone", "phone")]
    spoken = "spoken_other" if form.spoken_other.data else "spoken_language"
    rows.append(Answer(_("Language you will speak"), language_label(form[spoken].data) if form[spoken].data
                       else not_given, spoken, spoken))
    interpreter = "interpretation_other" if form.interpretation_other.data else "interpretation"
    rows.append(Answer(_("Interpreter"), language_label(form[interpreter].data) if form[interpreter].data
                       else _("Not needed"), interpreter, interpreter))
    if forum.childcare_offered:
        ages = parse_ages(form.children_ages.data)
        rows.append(Answer(_("Childcare"), ngettext("%(num)d child, age %(ages)s", "%(num)d children, ages %(ages)s",
                                                    len(ages), ages=format_list(ages)) if ages else _("Not needed"),
                           "children_ages", "children_ages"))
    rows.append(Answer(_("Access needs"), form.access_needs.data or not_given, "access_needs", "access_needs"))
    food = [label(diet) for diet in known_diets(form.diets.data)] + ([form.dietary_needs.data]
                                                                     if form.dietary_needs.data else [])
    rows += [Answer(_("Food (allergies or diet)"), format_list(food) if food else not_given, "diets", "diets-0"),
             Answer(_("Core team"), _("Yes") if form.wants_coreteam.data else _("No"), "wants_coreteam",
                    "wants_coreteam"),
             Answer(_("Newsletter"), _("Yes") if form.newsletter.data else _("No"), "newsletter", "newsletter")]
    return rows


STATUS_LABELS = name_values(RegistrationStatus, {
    RegistrationStatus.CONFIRMED: lambda: _("Confirmed"),
    RegistrationStatus.WAITING: lambda: _("On the waiting list"),
    RegistrationStatus.CANCELLED: lambda: pgettext("registration", "Cancelled"),
})


def registration_status(registration: Registration) -> str:
    return label(registration.status)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(registration_needs=registration_needs, registration_status=registration_status,
                                 food_needs=food_needs,
                                 language_label=language_label)
