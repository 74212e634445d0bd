"""Demo registrations: people with varied languages and needs; attendance at the forums already held."""

from __future__ import annotations

from sqlalchemy import func, select

from ..core.extensions import db
from ..core.models_base import utcnow
from ..core.tokens import new_token
from ..planning.models import Forum
from .models import Registration, RegistrationStatus
from .queries import person_key

PEOPLE = [
    ("Amal Haddad", "ar", "ar", "ar", [3, 6], "", (["halal"], "")),
    ("Reza Ahmadi", "fa", "fa", "fa", [], "", ([], "بدون پیاز")),
    ("Hodan Warsame", "so", "so", "so", [1], "", (["halal", "lactose_free"], "")),
    ("Yonas Gebremedhin", "ti", "ti", "ti", [4, 8], "", ([], "")),
    ("Olena Shevchenko", "uk", "uk", "uk", [10], "", (["vegetarian"], "")),
    ("Farid Noori", "en", "fa_AF", "fa_AF", [], "wheelchair", ([], "")),
    ("Maryam Said", "sv", "ar", "", [], "", (["gluten_free", "nut_allergy"], "")),
    ("Abdi Hassan", "so", "so", "", [2, 5, 7], "", (["halal"], "")),
    ("Tsega Kidane", "ti", "ti", "ti", [], "hearing loop", ([], "")),
    ("Iryna Bondar", "uk", "uk", "", [], "", (["vegan"], "")),
    ("Samir Khoury", "ar", "ar", "", [], "", (["halal", "no_pork"], "")),
    ("Leyla Karimi", "fa", "ku", "ku", [0], "", ([], "")),
]


def load_demo_registrations(forums: dict[str, Forum]) -> None:
    for key, forum in forums.items():
        if db.session.scalar(select(func.count()).select_from(Registration).where(Registration.forum_id == forum.id)):
            continue
        past = forum.ends_at < utcnow()
        for index, (name, ui, spoken, interpret, ages, access, (diets, food)) in enumerate(PEOPLE):
            # Every other person comes to each forum: their key is the same from one forum to the next.
            returning = f"{name.split()[0].lower()}@example.org" if index % 2 == 0 else ""
            email = returning or f"{name.split()[0].lower()}.{key}@example.org"
            db.session.add(Registration(
                forum_id=forum.id, name=name, email=email, person_key=person_key(email, ""),
                language=ui, spoken_language=spoken, interpretation_language=interpret, children_ages=ages,
                access_needs=access, diets=diets, dietary_needs=food, wants_coreteam=index % 4 == 0,
                newsletter=index % 2 == 0, consent_at=utcnow(), status=RegistrationStatus.CONFIRMED,
                token_hash=new_token()[1], attended_at=forum.starts_at if past and index % 5 else None))
    db.session.commit()
