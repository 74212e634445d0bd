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


# The fourth reading (6 December 2026): what it changed, as the catalogue held it before.
OLD_SOMALI_FOURTH = [
    ("Confirm your subscription to the newsletter", "Xaqiiji isdiiwaangelintaada warsidaha"),
    ("Subscribers", "Isdiiwaangeliyayaasha"),
    ("Send a link to choose a new password", "Dir link lagu doorto furo cusub"),
    ("Failed login", "Gelitaan guul-darraystay"),
    ("Your account is no longer active. Ask the integration office if you need access.",
     "Koontadaadu hadda ma shaqeyso."),
    ("Enter a number from 1 to 5000.", "Qor tiro u dhaxaysa 1 ilaa 5000."),
    ("A core team term ends soon: %(name)s", "Muddo xubnimo oo dhowaan dhammaanaysa: %(name)s"),
    (("Tell us what it was like. Five short questions, anonymous, in your language: scan the code and type the code "
      "from your slip, or use the link in our email or text message."), "Shan su'aalood oo gaagaaban, qarsoodi"),
    ("Feedback slips", "Warqadaha jawaab-celinta"),
    ("Scan the code to read the invitation and register:", "Iskaan koodhka si aad u akhrido casuumaadda"),
    ("This form can only be sent from this website. Please fill it in on this page.",
     "Foomkan waxaa laga diri karaa degelkan oo keliya."),
    ("Thank you for taking part in the migrant forum. What you said will be used in the recommendations to the city.",
     "Mahadsanid ka-qaybgalkaaga Madasha Muhaajiriinta."),
]


# The fifth reading (6 December 2026, the resident's path): the recurring slips it changed, as the catalogue held them.
OLD_SOMALI_FIFTH = [
    ("How can we reach you?", "Sidee kuu heli karnaa?"),
    ("How can we reach you? Email, phone, or both", "Sidee kuu heli karnaa? Iimayl, taleefan, ama labadaba"),
    ("Write at least one, so that we can reach you if something changes.",
     "Qor ugu yaraan mid, si aan kuu heli karno haddii wax isbeddelaan."),
    ("Give an email address or a phone number, so that we can reach you.",
     "Bixi iimayl ama lambar taleefan, si aan kuu heli karno."),
    ("Show or say this code at the door, and we find you at once.",
     "Tus ama sheeg koodhkan albaabka, waanu ku heli doonnaa isla markiiba."),
    (("Many people have been registered from this connection in the last hour. Please try again later, or call or "
      "write to the integration office and we will register you."),
     "ama wac ama u qor xafiiska is-dhexgalka, waanu ku diiwaangelin doonaa."),
]


@pytest.mark.parametrize("msgid,msgstr", OLD_SOMALI + OLD_SOMALI_FOURTH + OLD_SOMALI_FIFTH)
def test_the_glossary_catches_what_each_somali_reading_changed(msgid, msgstr):
    assert glossary_slips("so", [(msgid, [msgstr])], glossary(), exceptions()) != []
