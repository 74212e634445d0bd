"""Demo feedback for the forums already held, and a text for the year's report; and the past year (below).
Safe to run twice.

``flask demo``'s past year: last year's topics, two forums held with their results, feedback, the
recommendations with their measures (marked mainstreamed or against discrimination, with costs), the joint
presentation to the decision makers, a core-team meeting with an official, the budget and the report text.
Placed in the calendar year before the day the demo is loaded, so ``/impact/<last year>/report`` reads
complete on any day; nothing is added once last year has a topic.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from ..accounts.models import Department, User
from ..core.extensions import db
from ..core.timeutil import city_today, local_to_utc, utc_to_local
from ..coreteam.models import CoreTeamMember, Meeting
from ..planning import services as planning
from ..planning.demo_content import ACCESS, FOOD, MANDATE, MODERATOR_ROLE
from ..planning.models import BudgetCategory, BudgetLine, Forum, ForumFormat, ForumStatus, Topic
from ..recommendations.models import ForumResult, Presentation, Recommendation, Status, StatusChange, forum_department
from .models import AnnualReport, Channel, Credential, FeedbackAnswer

# got to speak, interpretation (None: not used), childcare, represented, come again, comment
ANSWERS = [
    (5, 5, None, 4, 5, "Bra att det fanns tolk till tigrinja."),
    (4, None, 5, 4, 5, ""),
    (3, 4, None, 3, 4, "Vi hann inte prata om allt. Mer tid nästa gång."),
    (5, None, None, 5, 5, ""),
    (4, 3, 4, 4, 4, "The childcare room was too small."),
    (2, None, None, 2, 3, ""),
    (5, 5, 5, 5, 5, "شكراً، لأول مرة أشعر أن أحداً يسمعنا."),
    (4, 4, None, 3, 4, ""),
    (3, None, 3, 4, 4, ""),
    (5, 4, None, 4, 5, "Waan ku faraxsanahay."),
    (4, None, None, 4, 4, ""),
    (1, 2, None, 2, 2, "Too many people, I could not speak."),
]

# No figure in the typed text: the report writes its sentences about numbers from the figures themselves.
REPORT = {
    "sv": "Året började med frågan om arbete, och deltagarna berättade om sina egna vägar till jobb."
          "\n\nKommunen har tagit emot rekommendationerna om praktikplatser "
          "och mottagande. Nästa år följer vi upp dem och bjuder in fler förvaltningar.",
    "en": "The year began with the question of work, and participants told of their own paths into jobs."
          "\n\nThe city has accepted the recommendations on "
          "work placements and reception. Next year we follow them up and invite more departments.",
    "ar": "بدأ العام بموضوع العمل، وتحدّث المشاركون عن طرقهم الخاصة إلى العمل."
          "\n\nقبلت البلدية التوصيات حول أماكن التدريب واستقبال القادمين الجدد. في العام القادم سنتابعها وندعو "
          "إدارات أكثر.",
    "ti": "እዚ ዓመት ብሕቶ ስራሕ ጀሚሩ፣ ተሳተፍቲ ድማ ብዛዕባ ናይ ገዛእ ርእሶም መገዲ ናብ ስራሕ ኣዘንትዮም።\n\nምምሕዳር ከተማ ነቶም ለበዋታት ተቐቢሉዎም።",
}


def load_demo_impact(forums: dict[str, Forum]) -> None:
    for offset, forum in enumerate(f for f in forums.values() if f.status in (ForumStatus.HELD,
                                                                               ForumStatus.DOCUMENTED)):
        if db.session.scalar(select(func.count()).select_from(FeedbackAnswer)
                             .where(FeedbackAnswer.forum_id == forum.id)):
            continue
        day = utc_to_local(forum.ends_at).date() + timedelta(days=1)
        answers = ANSWERS if offset == 0 else ANSWERS[offset:offset + 8]
        for index, (speak, interp, child, represented, again, comment) in enumerate(answers):
            channel = (Channel.PAPER, Channel.VENUE, Channel.EMAIL)[index % 3]
            db.session.add(FeedbackAnswer(
                forum_id=forum.id, channel=channel,
                credential=Credential.LINK if channel is Channel.EMAIL else Credential.CODE,
                got_to_speak=speak, interpretation=interp, childcare=child, represented=represented,
                come_again=again, comment=comment, submitted_on=day))
    year = city_today().year
    if db.session.scalar(select(AnnualReport).where(AnnualReport.year == year)) is None:
        db.session.add(AnnualReport(year=year, text=REPORT))
    db.session.commit()


# --- the past year ----------------------------------------------------------------------------

# (key, title, background, guiding questions, month, day, hour, hours, format, people who took part)
PAST_TOPICS = [
    ("housing", {"sv": "Att hitta en bostad", "en": "Finding a home", "ar": "إيجاد سكن", "fa": "پیدا کردن خانه",
                 "so": "Helitaanka guri", "ti": "ገዛ ምርካብ", "uk": "Пошук житла"},
     {"sv": "Många väntar länge på en bostad och bor trångt under tiden.",
      "en": "Many wait a long time for a home and live crowded in the meantime."},
     [{"sv": "Vad har varit svårast när du sökt bostad?", "en": "What has been hardest when looking for a home?"},
      {"sv": "Vem har hjälpt dig?", "en": "Who has helped you?"},
      {"sv": "Vad kan kommunen göra?", "en": "What can the city do?"}],
     4, 22, 18, 3, ForumFormat.EVENING, 96),
    ("health", {"sv": "Vård och hälsa", "en": "Care and health", "ar": "الرعاية والصحة", "fa": "مراقبت و سلامت",
                "so": "Daryeel iyo caafimaad", "ti": "ክንክንን ጥዕናን", "uk": "Догляд і здоров'я"},
     {"sv": "Vården ska nå alla, men många vet inte vart de ska vända sig.",
      "en": "Care should reach everyone, but many do not know where to turn."},
     [{"sv": "När fick du inte den hjälp du behövde?", "en": "When did you not get the help you needed?"},
      {"sv": "Hur hittar du rätt mottagning?", "en": "How do you find the right clinic?"},
      {"sv": "Vad kan kommunen göra?", "en": "What can the city do?"}],
     10, 9, 10, 6, ForumFormat.FULL_DAY, 141),
]

# (title, text, topic, department index, final status, mainstreamed, against discrimination,
#  (planned, actual) costs or None)
PAST_RECOMMENDATIONS = [
    ({"sv": "Anonyma ansökningar till kommunens jobb", "en": "Anonymous applications for city jobs"},
     {"sv": "Namn och födelseland visas inte förrän till intervjun.",
      "en": "Name and country of birth are not shown until the interview."},
     "housing", 0, Status.IMPLEMENTED, True, True, ("80000", "76500")),
    ({"sv": "Tolk vid första mötet med socialtjänsten", "en": "An interpreter at the first meeting with social services"},
     {"sv": "Den som inte talar svenska får alltid tolk vid första mötet.",
      "en": "Whoever does not speak Swedish always has an interpreter at the first meeting."},
     "health", 1, Status.PARTLY_IMPLEMENTED, True, False, ("40000", "22000")),
    ({"sv": "Bostadsrådgivning på flera språk", "en": "Housing advice in several languages"},
     {"sv": "Rådgivning om bostadskö och hyresrätt på sju språk, varje vecka.",
      "en": "Advice on the housing queue and tenancy in seven languages, every week."},
     "housing", 1, Status.IN_PROGRESS, False, True, ("25000", None)),
    ({"sv": "Förtur i bostadskön för stora familjer", "en": "Priority in the housing queue for large families"},
     {"sv": "Kommunen ber det allmännyttiga bolaget att ge stora familjer förtur.",
      "en": "The city asks its housing company to give large families priority."},
     "housing", 0, Status.DECLINED, False, False, None),
]
DECISION_MAKERS = 11  # members of the city executive board present at the joint presentation

# got to speak, interpretation, childcare, represented, come again, daily life, cooperation
PAST_ANSWERS = [
    (5, 5, None, 4, 5, 4, 5), (4, None, 4, 4, 5, 3, 4), (3, 4, None, 3, 4, 4, 4), (5, None, None, 5, 5, 5, 5),
    (4, 3, 4, 4, 4, 2, 3), (2, None, None, 2, 3, 2, 4), (5, 5, 5, 5, 5, 4, 5), (4, 4, None, 4, 4, 4, 2),
]

PAST_REPORT = {
    "sv": "Året handlade om bostad och vård. Kommunen har tagit emot de flesta rekommendationerna, och två "
          "förvaltningar har redan gjort dem till en del av sitt vanliga arbete.",
    "en": "The year was about housing and care. The city accepted most recommendations, and two departments have "
          "already made them part of their regular work.",
}


def _at(day: date, hour: int = 12) -> datetime:
    return local_to_utc(datetime.combine(day, time(hour, 0)))


def load_demo_past_year() -> None:
    year = city_today().year - 1
    if db.session.scalar(select(Topic.id).where(Topic.year == year).limit(1)) is not None:
        return
    departments = list(db.session.scalars(select(Department).order_by(Department.id)))
    if len(departments) < 4:  # the recommendations' demo makes them
        return
    official = User.by_email("official@example.org")
    planning.save_mandate(year, decided_by=MANDATE["decided_by"], description=MANDATE["description"],
                          decided_on=date(year, 1, 18), decision_reference=f"KS {year}/0087",
                          core_team_agreed_on=date(year, 1, 26))
    db.session.commit()  # a topic is saved under the year's lock, which wants nothing else unsaved
    forums: dict[str, Forum] = {}
    for key, title, background, questions, month, day, hour, hours, fmt, people in PAST_TOPICS:
        topic = planning.save_topic(None, year=year, questions=questions, title=title, background=background,
                                    origin="both", within_competence=True, district="")
        starts = _at(date(year, month, day), hour)
        forum = Forum(topic_id=topic.id, hook=title, description=background, format=fmt, starts_at=starts,
                      ends_at=starts + timedelta(hours=hours), venue_name="Stadshuset, stora salen",
                      venue_address="Stora torget 1", venue_access=ACCESS, capacity=160, childcare_capacity=30,
                      food=FOOD, childcare_offered=True, interpretation_languages=["ar", "fa", "so", "ti", "uk"],
                      moderator="Lina Sahlberg", moderator_role=MODERATOR_ROLE, poster_languages=["sv", "ar"],
                      status=ForumStatus.DOCUMENTED, registration_opens_at=starts - timedelta(days=45),
                      registration_closes_at=starts - timedelta(days=1))
        db.session.add(forum)
        db.session.flush()
        db.session.add(ForumResult(forum_id=forum.id, attendance=people, published=True, summary={
            "sv": "Deltagarna berättade om långa köer och om att inte veta vart man ska vända sig.",
            "en": "Participants spoke of long queues and of not knowing where to turn."}))
        answered_on = (starts + timedelta(days=1)).date()
        for index, (speak, interp, child, represented, again, daily, together) in enumerate(PAST_ANSWERS):
            db.session.add(FeedbackAnswer(
                forum_id=forum.id, channel=Channel.EMAIL if index % 2 else Channel.PAPER,
                credential=Credential.LINK if index % 2 else Credential.CODE, got_to_speak=speak,
                interpretation=interp, childcare=child, represented=represented, come_again=again,
                daily_life=daily, cooperation=together, comment="", submitted_on=answered_on))
        forums[key] = forum
        db.session.commit()
    # Departments in dialogue: social services and elderly care came to the forums, communications to one.
    db.session.execute(insert(forum_department), [
        {"forum_id": forums["housing"].id, "department_id": departments[1].id},
        {"forum_id": forums["health"].id, "department_id": departments[2].id},
        {"forum_id": forums["health"].id, "department_id": departments[3].id}])
    meeting_at = _at(date(year, 9, 3), 17)
    meeting = Meeting(title="Kärngruppen med förvaltningarna", starts_at=meeting_at,
                      ends_at=meeting_at + timedelta(hours=2), place="Stadshuset, rum 4")
    meeting.officials_present = [official] if official else []
    db.session.add(meeting)
    _recommendations(year, forums, departments, official)
    for category, text, forum, planned, actual in (
            (BudgetCategory.MODERATION, "Extern moderator, två forum", None, "24000", "24000"),
            (BudgetCategory.INTERPRETATION, "Tolkar", forums["housing"], "12000", "11200"),
            (BudgetCategory.FOOD, "Middag", forums["housing"], "14000", "13100"),
            (BudgetCategory.FOOD, "Lunch och fika", forums["health"], "21000", "20400")):
        db.session.add(BudgetLine(year=year, category=category, description=text,
                                  forum_id=forum.id if forum else None, planned=Decimal(planned),
                                  actual=Decimal(actual)))
    db.session.add(AnnualReport(year=year, text=PAST_REPORT))
    db.session.commit()


def _recommendations(year: int, forums: dict[str, Forum], departments: list[Department], official) -> None:  # noqa: ANN001
    presented_on = date(year, 11, 12)
    members = list(db.session.scalars(select(CoreTeamMember).order_by(CoreTeamMember.id).limit(2)))
    presentation = Presentation(presented_on=presented_on, body="Kommunstyrelsen", decision_makers_present=DECISION_MAKERS)
    presentation.members = members
    presentation.officials = [official] if official else []
    db.session.add(presentation)
    for title, text, key, department, final, mainstreamed, discrimination, costs in PAST_RECOMMENDATIONS:
        steps = [(date(year, 11, 1), Status.AGREED), (presented_on, Status.PRESENTED)]
        if final is Status.DECLINED:
            steps.append((date(year, 12, 1), Status.DECLINED))
        else:
            steps += [(date(year, 12, 1), Status.ACCEPTED), (date(year, 12, 4), Status.IN_PROGRESS)]
            if final is not Status.IN_PROGRESS:
                steps.append((date(year, 12, 18), final))
        recommendation = Recommendation(
            topic_id=forums[key].topic_id, title=title, text=text, status=final,
            departments=[departments[department]], forums=[forums[key]], mainstreamed=mainstreamed,
            against_discrimination=discrimination, presented_on=presented_on, presented_to="Kommunstyrelsen",
            responsible_official_id=official.id if official and final is not Status.DECLINED else None,
            decision_reason={"sv": "Bolaget beslutar själv om sin kö.", "en": "The company decides on its own queue."}
            if final is Status.DECLINED else {},
            outcome={"sv": "Införs i all rekrytering.", "en": "Introduced in all recruitment."}
            if final is Status.IMPLEMENTED else {},
            created_at=_at(date(year, 10, 20)), updated_at=_at(steps[-1][0]))
        previous = Status.DRAFT
        recommendation.changes.append(StatusChange(from_status=None, to_status=Status.DRAFT, at=_at(date(year, 10, 20))))
        for day, status in steps:
            recommendation.changes.append(StatusChange(from_status=previous, to_status=status, at=_at(day)))
            previous = status
        db.session.add(recommendation)
        presentation.recommendations.append(recommendation)
        db.session.flush()
        if costs:
            planned, actual = costs
            db.session.add(BudgetLine(year=year, category=BudgetCategory.IMPLEMENTATION,
                                      description=str(title["sv"]), department_id=departments[department].id,
                                      recommendation_id=recommendation.id, planned=Decimal(planned),
                                      actual=Decimal(actual) if actual else None))
