"""The glossary the build checks (issue 30): translations/glossary.csv, read against every catalogue, and proof
that it catches each slip the December 2026 review found (shared/reviews/translations-2026-12.md)."""

from __future__ import annotations

import re

import pytest

from forum_app.i18n import LANGUAGES

from .checks import catalogue, exceptions, glossary, glossary_slips


@pytest.mark.parametrize("code", list(LANGUAGES))
def test_every_msgstr_follows_the_glossary(code):
    assert glossary_slips(code, catalogue(code), glossary(), exceptions()) == []


def test_the_glossary_file_is_well_formed():
    rules = glossary()
    assert len(rules) > 40
    for rule in rules:
        assert rule.language in LANGUAGES, rule
        assert rule.required or rule.forbidden, rule
        for cell in (rule.term if rule.term != "*" else "", rule.required, rule.forbidden):
            re.compile(cell)


def test_every_exception_names_a_rule_and_excuses_something():
    """An exception that no longer excuses anything is stale: it would hide the next real slip."""
    rules, excused = glossary(), exceptions()
    for exception in excused:
        matching = [r for r in rules if (r.language, r.term) == (exception.language, exception.term)
                    and exception.rule in (r.required, r.forbidden)]
        assert matching, exception
        entries = [(msgid, forms) for msgid, forms in catalogue(exception.language)
                   if exception.msgid_contains in msgid]
        assert entries, exception
        others = [e for e in excused if e is not exception]
        assert glossary_slips(exception.language, entries, matching, others), exception


# The reviewer's examples: (language, msgid, the msgstr the review found). Each must be caught.
REVIEWED_SLIPS = [
    ("ti", "Nut allergy", "ኣለርጂ ፍረታት"),
    ("so", "Nut allergy", "Xasaasiyad looska"),
    ("ti", ("It stays with the anonymous numbers of each forum you registered for. If you delete your registration "
            "with your private link, the code is deleted too."),
     "ምስቲ ዝተመዝገብካሉ መድረኽ ይጸንሕ። ምዝገባኻ ብውልቃዊ መላግቦኻ እንተ ሰረዝካዮ፣ እቲ ኮድ እውን ይስረዝ።"),
    ("fa", "Mostly", "«بیشتر»"),
    ("so", "Invitation to the migrant forum: %(hook)s", "Martiqaad golaha muhaajiriinta: %(hook)s"),
    ("so", "At which forum", "Golahee"),
    ("fa", "Saved: the proposals are grouped again.", "ذخیره شد: پیشنهادها دوباره دسته‌بندی شدند."),
    ("ar", "Send your question by %(date)s.", "أرسل سؤالك قبل %(date)s."),
    ("ar", "Your name, and your email address or phone number if you give them.", "واحتياجاتك في الوصول والطعام"),
    ("uk", "The migrant forum is a task the city carries out in the public interest.", "наприклад потреб щодо доступності"),
    ("ti", "With this link you can see, change or cancel your registration.", "ብዚ መላግቦ ምዝገባኹም በጃኹም ዓቕቡዎ።"),
    ("uk", "For example registrations that are clearly not real people. The people on the waiting list move up.",
     "Люди з листа очікування переходять вище."),
    ("so", "Dear %(name)s,", "Mudane/Marwo %(name)s,"),
    ("ti", "Dear %(name)s,", "ክቡር/ክብርቲ %(name)s፣"),
    ("ar", "Asked for an interpreter", "طلبوا مترجماً فورياً"),
    ("fa", "Password chosen", "رمز عبور انتخاب شد"),
    ("so", "Volunteer", "Tabaruce"),
    ("so", "For example: wheelchair, hearing loop, a quiet place.", "kursiga curyaamiinta"),
    ("so", "Scheduled newsletters are not sent.", "Wargeysyada la jadwaleeyay lama diro."),
    ("so", "A code made from your email address", "email-kaaga"),
    ("so", "Your private link", "linkigaaga khaaska ah"),
    ("so", "Topic", "Mowduuc"),
    ("ti", "To plan the forum (places, waiting list)", "ነቲ መድረኽ ንምውጣን (ቦታታት፣ ዝርዝር ምጽባይ)"),
    ("ti", "Following a recommendation", "ምኽሪ ምክትታል"),
    ("sv", "Thank you! Your question is sent. The integration office reads every proposal.",
     "Tack! Integrationskontoret läser varje förslag."),
    ("sv", "A city department", "En förvaltning i staden"),
    # found in the second reading (docs/translations.md, December 2026)
    ("ar", "Everything but the dates: the venue, access, food, interpreters", "المكان والطعام والمترجمون الفوريون"),
    ("ar", "Only a recommendation outside the city's competence is passed on.", "خارج صلاحيات المدينة"),
    ("so", "Your place is confirmed: %(hook)s", "Boosaskaaga waa la xaqiijiyey: %(hook)s"),
    ("so", "Registration code", "Koodka diiwaangelinta"),
    ("ti", "Subscribe to the coming forums in your calendar", "ንዝመጽእ መድረኻት ኣብ ካላንደርካ ተኸታተሎም"),
    ("fa", "Feedback slips", "برگه‌های نظرسنجی"),
]


def test_an_exception_excuses_only_its_own_msgid():
    council = [("The city council decides", ["Golaha degmada ayaa go'aamiya"])]
    forum = [("The forum decides", ["Golaha ayaa go'aamiya"])]
    assert glossary_slips("so", council, glossary(), exceptions()) == []
    assert glossary_slips("so", forum, glossary(), exceptions()) != []


# Found in the third reading of Tigrinya (6 December 2026): each old msgstr must be caught by a glossary row.
THIRD_READING_TI_SLIPS = [
    ("Mandate and topics", "ሓላፍነትን ኣርእስትታትን"),
    ("External moderator", "ደጋዊ ኣወሃሃዲ"),
    ("The issue is saved and a new article is added at the end.", "እቲ ሕታም ተዓቂቡ፣ ሓድሽ ጽሑፍ ኣብ መወዳእታ ተወሲኹ።"),
    ("%(name)s is checked in.", "%(name)s ተመዝጊቡ።"),
    ("%(num)d accepted measure acts against discrimination.", "%(num)d ዝተቐበለ ስጉምቲ ኣንጻር ኣድልዎ ይሰርሕ።"),
    ("Results are shown from %(num)d answers, so that nobody can be recognised.",
     "ውጽኢታት ካብ %(num)d መልስታት ንላዕሊ ይርኣዩ፣ ሓደ ሰብ ከይልለ።"),
    ("Do you have allergies or a special diet?", "ኣለርጂ ወይ ፍሉይ መግቢ ኣለካ ድዩ፧"),
    ("Send your question by %(date)s.", "ሕቶኻ ክሳዕ %(date)s ስደድ።"),
    ("For staff of the integration office, core team members and department officials.",
     "ንሰራሕተኛታት ቤት ጽሕፈት ምውህሃድ፣ ኣባላት ማእከላይ ጉጅለን ሰብ መዝን ክፍልታትን።"),
    ("Save the password", "መሕለፊ ቃል ዓቅብ"),
    ("Email address or phone number", "ኢመይል ኣድራሻ ወይ ቁጽሪ ተሌፎን"),
    ("We are sorry: this forum has been cancelled.", "ይቕረታ፦ እዚ መድረኽ ተሰሪዙ እዩ።"),
    ("Check your email and confirm. Nothing is sent before you do.", "ቅድሚ ምርግጋጽካ ዋላ ሓንቲ ኣይልኣኽን።"),
    ("Preview:", "ቅድመ ርእይቶ፦"),
    ("What staff wrote in Swedish", "ሰራሕተኛታት ብሽወደንኛ ዝጸሓፍዎ"),  # Babel names the language ስዊድንኛ
    ("Of the recommendations the city accepted, the share now fully implemented.", "ካብቶም ከተማ ዝተቐበሎም ለበዋታት"),
    ("Publish the forum first: the invitation links to its public page.", "ቅድም መድረኽ ኣሕትም፤"),
    ("The recommendation “%(title)s” has a new status: %(status)s.", "እቲ ለበዋ “%(title)s” ሓድሽ ኩነታት ኣለዎ፦ %(status)s።"),
]


# Found in the fourth reading of Tigrinya (6 December 2026): each old msgstr must be caught by a glossary row.
FOURTH_READING_TI_SLIPS = [
    ("If you think we handle your data wrongly, you can complain",
     "ሓበሬታኻ ብግጉይ ከም እንሕዞ እንተ መሲሉካ፣ ጥርዓን ከተቕርብ ትኽእል ኢኻ።"),
    ("Keep the link here too, in case the email is late.", "እቲ ኢመይል እንተደንጒዩ፣ ነቲ መላግቦ ካብዚ እውን ዓቅቦ።"),
    ("%(num)d translation was not saved: its Swedish text has changed or been removed in the meantime.",
     "%(num)d ትርጉም ኣይተዓቀበን፦ እቲ ናይ ሽወደን ጽሑፉ ኣብዚ ግዜ እዚ ተቐይሩ ወይ ተኣልዩ እዩ።"),
    ("Anonymous answers from participants after the forums (online and on paper), each with a one-time credential.",
     "ድሕሪ መድረኻት ስም ዘይብሎም መልስታት (ብመስመር ኢንተርነትን ብወረቐትን)"),
    ("A joint presentation needs at least one member of the core team. Choose who presented.",
     "ሓባራዊ ምቕራብ እንተወሓደ ሓደ ኣባል ማእከላይ ጉጅለ የድልዮ።"),
    ("There are not enough childcare places left for more children. Please contact the integration office.",
     "ንተወሰኽቲ ቆልዑ እኹል ቦታ ክንክን የለን። በጃኻ ንቤት ጽሕፈት ምውህሃድ ተወከስ።"),
    ("To count, an answer needs your personal link (from our email or text message).",
     "መልሲ ንኽቑጸር፣ ውልቃዊ መላግቦኻ (ካብ ኢመይልና ወይ SMS ናትና) የድልዮ።"),
    ("If it has not arrived within an hour, look in your spam folder.", "ኣብ ውሽጢ ሓደ ሰዓት እንተዘይበጽሐ፣ ኣብ ፎልደር ስፓም ርአ።"),
    ("%(num)d person checked in", "%(num)d ሰብ ኣብ መእተዊ ተመዝጊቡ"),
    ("From the check-in; add those who were not checked in.", "ካብ ምዝገባ ኣብ መእተዊ፤ ነቶም ኣብ መእተዊ ዘይተመዝገቡ ወስኾም።"),
    ("Save", "ዓቅብ"),  # the imperative it asked about, now ዕቀብ
    ("Invite department staff by name and address", "ሰራሕተኛታት ክፍልታት ብስምን ኣድራሻን ዓድም"),
    # the fifth reading, of the resident's path
    ("Thank you for registering. Your place is confirmed. Welcome!",
     "ስለ ዝተመዝገብካ የቐንየልና። ቦታኻ ተረጋጊጹ። እንቋዕ ብደሓን መጻእካ!"),
    ("Your place at the migrant forum on %(when)s is confirmed. Welcome!",
     "ቦታኻ ኣብቲ ብ%(when)s ዝካየድ መድረኽ ስደተኛታት ተረጋጊጹ። እንቋዕ ብደሓን መጻእካ!"),
    ("Checked in at the door", "ኣብ ማዕጾ ዝተመዝገቡ"),
    ("People checked in at the forums, walk-ins included. Not everyone who takes part is checked in: see “Took part”.",
     "ኣብ መድረኻት ዝተመዝገቡ ሰባት፣ ብዘይ ምዝገባ ዝመጹ ሓዊሱ። ኩሉ ዝሳተፍ ኣብ ማዕጾ ኣይምዝገብን እዩ፦ «ዝተሳተፉ» ርአ።"),
    ("Nearest stop", "ዝቐረበ መዓልቦ"),
    ("Subscribe", "ተመዝገብ"),
    ("No forum is planned right now. Subscribe to the newsletter to hear about the next one.",
     "ሕጂ ዝተመደበ መድረኽ የለን። ብዛዕባ ዝቕጽል ክትሰምዕ ንጋዜጣ ተመዝገብ።"),
]


# Every slip the review and the readings found, as (language, msgid, the msgstr the catalogue held).
ALL_SLIPS = [*REVIEWED_SLIPS,
             *(("ti", msgid, msgstr) for msgid, msgstr in THIRD_READING_TI_SLIPS + FOURTH_READING_TI_SLIPS)]


@pytest.mark.parametrize("code,msgid,msgstr", ALL_SLIPS)
def test_the_glossary_catches_each_slip_the_review_and_the_readings_found(code, msgid, msgstr):
    assert glossary_slips(code, [(msgid, [msgstr])], glossary(), exceptions()) != []
