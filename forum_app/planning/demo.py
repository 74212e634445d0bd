"""Demo data for the plan: a mandate, the source's four example topics, forums, partners, a budget.

Dates are relative to today, so the demo always has past and coming forums. Safe to run twice:
everything is looked up before it is created, and topics go through the six-a-year rule.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select

from ..core.extensions import db
from ..core.timeutil import city_today, local_to_utc
from ..i18n import LANGUAGES
from . import services
from .demo_content import ACCESS, FOOD, MANDATE, MODERATOR_ROLE, TOPICS
from .models import (
    BudgetCategory,
    BudgetLine,
    Consultation,
    Forum,
    ForumFormat,
    ForumStatus,
    Organisation,
    OrganisationKind,
    PartnerInvitation,
    Proposal,
    ProposerKind,
    SideEvent,
    Topic,
)

ORGANISATIONS = [
    ("Eritreanska kulturföreningen", OrganisationKind.ASSOCIATION, "Selam Haile", "ti am ar", "Eritreans in the north of the city"),
    ("Somaliska föräldranätverket", OrganisationKind.ASSOCIATION, "Hodan Ali", "so", "Somali parents"),
    ("Ukrainska huset", OrganisationKind.ASSOCIATION, "Olena Kovalenko", "uk ru", "Ukrainians who came after 2022"),
    ("Röda Korset, kretsen i staden", OrganisationKind.NGO, "Maria Berg", "sv en ar fa", "Asylum seekers and newcomers"),
    ("Arbetsförmedlingen, lokalkontoret", OrganisationKind.SERVICE_PROVIDER, "Johan Ek", "sv en", "Job seekers"),
    ("Seniorträffen Al-Amal", OrganisationKind.ASSOCIATION, "Fatima Rahimi", "ar fa", "Older Arabic and Persian speakers"),
]

# (topic key, days from today, start hour, hours, format, capacity, status)
FORUMS = [
    ("work", -70, 18, 3, ForumFormat.EVENING, 150, ForumStatus.HELD),
    # Held a few days ago: its feedback is open on whatever day the demo is loaded (FEEDBACK_DAYS is 21).
    ("reception", -4, 10, 6, ForumFormat.FULL_DAY, 200, ForumStatus.HELD),
    ("elders", 16, 18, 3, ForumFormat.EVENING, 120, ForumStatus.PUBLISHED),
    ("media", 58, 18, 3, ForumFormat.EVENING, 80, ForumStatus.PUBLISHED),
]


# (minutes after the start, title, text): a full day's side programme
SIDE_PROGRAMME = [
    (120, {"sv": "Lunch med musik från Eritrea", "en": "Lunch with music from Eritrea", "ar": "غداء مع موسيقى من إريتريا",
           "fa": "ناهار با موسیقی اریتره", "so": "Qado iyo muusig ka yimid Eritrea", "ti": "ምሳሕ ምስ ሙዚቃ ካብ ኤርትራ",
           "uk": "Обід з музикою з Еритреї"},
     {"sv": "Föreningen Hidmona spelar under lunchen.", "en": "The Hidmona association plays during lunch."}),
    (180, {"sv": "Barnens bildverkstad", "en": "Children's art workshop", "ar": "ورشة رسم للأطفال",
           "fa": "کارگاه نقاشی کودکان", "so": "Aqoon-is-weydaarsiga sawirka carruurta", "ti": "ናይ ቆልዑ ስእሊ ዎርክሾፕ",
           "uk": "Художня майстерня для дітей"},
     {"sv": "Barnen målar sin första dag i staden; bilderna visas i stadshuset.",
      "en": "Children paint their first day in the city; the pictures are shown in the city hall."}),
    (300, {"sv": "Fika och samtal med föreningarna", "en": "Coffee and talks with the associations",
           "ar": "قهوة وحديث مع الجمعيات", "fa": "قهوه و گفت‌وگو با انجمن‌ها", "so": "Shaah iyo wada sheekaysi ururada",
           "ti": "ቡን ምስ ማሕበራት ዝርርብ", "uk": "Кава й розмови з об'єднаннями"}, {}),
]


# (question, language, kind, proposer, the number of the question it repeats or None)
PROPOSALS = {
    "this_year": [
        ("Vet äldre migranter vad hemtjänsten kan ge dem?", "sv", ProposerKind.DEPARTMENT, "Äldreförvaltningen", None),
        ("هل يعرف كبار السن أن لهم حقًا في مترجم عند طلب المساعدة؟", "ar", ProposerKind.ASSOCIATION,
         "Seniorträffen Al-Amal", 0),
        ("Min mamma vet inte vart hon ska vända sig.", "sv", ProposerKind.RESIDENT, "", 0),
        ("Hur var mottagandet när du kom hit?", "sv", ProposerKind.ASSOCIATION, "Eritreanska kulturföreningen", None),
    ],
    "next_year": [
        ("Ungas fritid i förorten: vad saknas?", "sv", ProposerKind.DEPARTMENT, "Fritidsförvaltningen", None),
        ("Dhallinyaradu meel ay galaan fiidkii ma leh.", "so", ProposerKind.ASSOCIATION,
         "Somaliska föräldranätverket", 0),
        ("Як знайти житло, коли немає кредитної історії?", "uk", ProposerKind.RESIDENT, "", None),
        ("Bostad för stora familjer", "sv", ProposerKind.ASSOCIATION, "Ukrainska huset", None),
    ],
}


def _load_calls(year: int, topics: dict[str, Topic]) -> None:
    """This year's call, closed, whose first question became the topic on older migrants; next year's,
    open, with proposals still to be grouped."""
    for key, call_year, closes_in in (("this_year", year, -300), ("next_year", year + 1, 25)):
        if db.session.scalar(select(Consultation).where(Consultation.year == call_year)) is not None:
            continue
        call = Consultation(year=call_year, closes_on=city_today() + timedelta(days=closes_in),
                            intro={"sv": "Vilka frågor är viktigast för dig? Vi börjar med dem som både föreningar "
                                         "och förvaltningar tar upp.",
                                   "en": "Which questions matter most to you? We start with those that both "
                                         "associations and departments raise."})
        db.session.add(call)
        made: list[Proposal] = []
        for question, lang, kind, proposer, repeats in PROPOSALS[key]:
            proposal = Proposal(question=question, language=lang, kind=kind, proposer=proposer,
                                same_as=made[repeats] if repeats is not None else None)
            call.proposals.append(proposal)
            made.append(proposal)
        db.session.flush()
        if key == "this_year":
            made[0].topic_id = topics["elders"].id


def _local(days: int, hour: int) -> datetime:
    day = city_today() + timedelta(days=days)
    return local_to_utc(datetime.combine(day, time(hour, 0)))


def load_demo_plan() -> dict[str, Forum]:
    year = city_today().year
    services.save_mandate(year, decided_by=MANDATE["decided_by"], description=MANDATE["description"],
                          decided_on=city_today().replace(month=1, day=20),
                          decision_reference=f"KS {year}/0142",
                          core_team_agreed_on=city_today().replace(month=1, day=28))
    topics: dict[str, Topic] = {}
    for spec in TOPICS:
        topic = db.session.scalar(select(Topic).where(Topic.year == year, Topic.title["sv"].as_string() ==
                                                      spec["title"]["sv"]))
        if topic is None:
            topic = services.save_topic(None, year=year, questions=spec["questions"], title=spec["title"],
                                        background=spec["background"], origin=spec["origin"],
                                        within_competence=spec["key"] != "media", district="")
        topics[spec["key"]] = topic
    _load_calls(year, topics)

    organisations = []
    for name, kind, contact, languages, communities in ORGANISATIONS:
        org = db.session.scalar(select(Organisation).where(Organisation.name == name))
        if org is None:
            org = Organisation(name=name, kind=kind, contact_person=contact, languages=languages.split(),
                               communities=communities, email=f"kontakt{len(organisations) + 1}@example.org",
                               mail_language=next((code for code in languages.split() if code in LANGUAGES), "sv"))
            db.session.add(org)
        organisations.append(org)
    db.session.flush()
    organisations[0].topics = [topics["reception"], topics["work"]]
    organisations[1].topics = [topics["reception"]]
    organisations[4].topics = [topics["work"]]
    organisations[5].topics = [topics["elders"]]

    hooks = {spec["key"]: spec["hook"] for spec in TOPICS}
    forums: dict[str, Forum] = {}
    for key, days, hour, hours, fmt, capacity, status in FORUMS:
        topic = topics[key]
        forum = db.session.scalar(select(Forum).where(Forum.topic_id == topic.id))
        if forum is None:
            starts = _local(days, hour)
            forum = Forum(topic_id=topic.id, hook=hooks[key], description=topic.background, format=fmt,
                          starts_at=starts, ends_at=starts + timedelta(hours=hours),
                          venue_name="Stadshuset, stora salen", venue_address="Stora torget 1",
                          venue_access=ACCESS, capacity=capacity, childcare_capacity=30, food=FOOD,
                          childcare_offered=True, interpretation_languages=["ar", "fa", "so", "ti", "uk"],
                          moderator="Lina Sahlberg", moderator_role=MODERATOR_ROLE, poster_languages=["sv", "ar"], status=status,
                          registration_opens_at=starts - timedelta(days=45),
                          registration_closes_at=starts - timedelta(days=1))
            forum.partners = [organisations[3]] + ([organisations[5]] if key == "elders" else [])
            if fmt is ForumFormat.FULL_DAY:
                forum.side_programme = [SideEvent(starts_at=starts + timedelta(minutes=minutes), title=title, text=text)
                                        for minutes, title, text in SIDE_PROGRAMME]
            db.session.add(forum)
        forums[key] = forum
    db.session.flush()
    elders = forums["elders"]
    if not db.session.scalar(select(PartnerInvitation.id).where(PartnerInvitation.forum_id == elders.id).limit(1)):
        for org in elders.partners:  # sent a week ago: the log on the forum's page "Send the invitation to partners"
            db.session.add(PartnerInvitation(
                forum_id=elders.id, organisation_id=org.id, organisation_name=org.name, email=org.email,
                language=org.mail_language, subject=f"Inbjudan till migrantforumet: {elders.hook.get('sv', '')}",
                sent_at=elders.starts_at - timedelta(days=30)))

    if db.session.scalar(select(BudgetLine).where(BudgetLine.year == year).limit(1)) is None:
        lines = [
            (BudgetCategory.MODERATION, "Extern moderator, fyra forum", None, "48000", "24000"),
            (BudgetCategory.INTERPRETATION, "Tolkar arabiska, dari, somaliska, tigrinja", forums["work"], "18000", "16400"),
            (BudgetCategory.CHILDCARE, "Barnpassning", forums["work"], "6000", "5200"),
            (BudgetCategory.FOOD, "Middag för 150", forums["work"], "22500", "19800"),
            (BudgetCategory.FOOD, "Lunch och fika", forums["reception"], "30000", "28900"),
            (BudgetCategory.INFORMATION, "Affischer och flygblad på sju språk", None, "9000", None),
            (BudgetCategory.NEWSLETTER, "Nyhetsbrev, översättning", None, "12000", None),
            (BudgetCategory.IMPLEMENTATION, "Praktikplatser i kommunen", None, "150000", None),
        ]
        for category, text, forum, planned, actual in lines:
            db.session.add(BudgetLine(year=year, category=category, description=text,
                                      forum_id=forum.id if forum else None, planned=Decimal(planned),
                                      actual=Decimal(actual) if actual else None))
    db.session.commit()
    return forums
