"""Diets a forum's kitchen can count: a fixed list of choices, named in the reader's language.

A participant ticks the common choices and writes anything else as text ("other"). The choices are
stored as the values below, so "halal" ticked on an Arabic page and on a Swedish one are the same
line in "what to order"; the free text is shown to staff as it was written.
"""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l

from ..i18n.labels import choices, name_values


class Diet(str, enum.Enum):
    HALAL = "halal"
    VEGETARIAN = "vegetarian"
    VEGAN = "vegan"
    NO_PORK = "no_pork"
    GLUTEN_FREE = "gluten_free"
    LACTOSE_FREE = "lactose_free"
    NUT_ALLERGY = "nut_allergy"


DIET_WORDS = name_values(Diet, {
    Diet.HALAL: _l("Halal"),
    Diet.VEGETARIAN: _l("Vegetarian"),
    Diet.VEGAN: _l("Vegan"),
    Diet.NO_PORK: _l("No pork"),
    Diet.GLUTEN_FREE: _l("Gluten-free"),
    Diet.LACTOSE_FREE: _l("Lactose-free"),
    Diet.NUT_ALLERGY: _l("Nut allergy"),
})


def diet_choices() -> list[tuple[str, str]]:
    return choices(Diet)


def known_diets(values) -> list[Diet]:  # noqa: ANN001 - the JSON list stored on a registration
    """The stored values that are choices, in the list's order (an unknown value is ignored)."""
    stored = set(values or [])
    return [diet for diet in Diet if diet.value in stored]
