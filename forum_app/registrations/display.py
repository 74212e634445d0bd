"""How a registration's needs read, in the reader's language (pages, emails, staff lists)."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _
from flask_babel import ngettext, pgettext

from ..i18n.content import language_display_name
from ..i18n.formatting import format_list
from ..i18n.labels import label, name_values
from ..planning.language_list import INTERPRETATION_LANGUAGES
from .diets import known_diets
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
