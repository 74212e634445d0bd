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
]


@pytest.mark.parametrize("msgid,msgstr", OLD_SOMALI)
def test_the_glossary_catches_what_the_third_somali_reading_changed(msgid, msgstr):
    assert glossary_slips("so", [(msgid, [msgstr])], glossary(), exceptions()) != []
