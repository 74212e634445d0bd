"""The third reading of Somali (issue 30, 6 December 2026): each spelling or word it settled is a row in
translations/glossary.csv, and each row must catch the text the catalogue held before."""

import pytest

from .checks import exceptions, glossary, glossary_slips

# (msgid, the msgstr the catalogue held before the reading)
OLD_SOMALI = [
    ("Cancelled", "Waa la baajiyay"),
    ("This link has expired or has already been used.", "Linkigan wakhtigiisii wuu dhammaaday."),
    ("Only staff see the comments. They are never published.", "Kaliya shaqaalaha ayaa arka faallooyinka."),
    ("Departments that presented (where no official is named)", "Waaxyaha soo bandhigay"),
    ("Give the issue a Swedish title first.", "Marka hore sii cadadka cinwaan iswiidhish ah."),
    ("Join online", "Ku biir khadka tooska ah"),
    ("A language left empty shows the Swedish text, with a note that it is not yet translated.",
     "Luuqad bannaan laga tago waxay muujinaysaa qoraalka Iswidhishka"),
    ("Add a translation (optional)", "Ku dar tarjumaad (ikhtiyaari)"),
    ("Were you there? Tell us what it was like: a few short questions, anonymous.", "dhawr su'aalood"),
    ("The city holds a direct dialogue with residents and uses their practical expertise.",
     "Degmadu waxay wada hadal toos ah la yeelataa dadka deegaanka"),
    ("Log in for staff and core team", "Galitaanka shaqaalaha iyo kooxda udub-dhexaadka"),
    ("There are no figures for the year %(year)d.", "Ma jiraan tirooyin sanadka %(year)d."),
    ("You get this email because you registered for a migrant forum.",
     "Iimaylkan waxaad u heshay sababtoo ah waxaad isu diiwaangelisay madal muhaajiriin."),
    ("%(num)d place left", "%(num)d boos ayaa hadhay"),
    ("Newsletter issue", "Daabacaadda warsidaha"),
]


@pytest.mark.parametrize("msgid,msgstr", OLD_SOMALI)
def test_the_glossary_catches_what_the_third_somali_reading_changed(msgid, msgstr):
    assert glossary_slips("so", [(msgid, [msgstr])], glossary(), exceptions()) != []
