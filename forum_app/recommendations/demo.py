"""Demo results and recommendations: every status of the workflow, with progress updates."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from ..accounts.models import User
from ..core.extensions import db
from ..core.models_base import utcnow
from ..coreteam.models import CoreTeamMember
from ..planning.models import Forum, ForumStatus
from .models import (
    Department,
    Finding,
    ForumResult,
    HandOn,
    Presentation,
    ProgressUpdate,
    Recommendation,
    Status,
    StatusChange,
)

DEPARTMENTS = [
    {"sv": "Arbetsmarknadsförvaltningen", "en": "Employment department", "ar": "إدارة سوق العمل",
     "fa": "اداره بازار کار", "so": "Waaxda suuqa shaqada", "ti": "ክፍሊ ዕዳጋ ስራሕ", "uk": "Департамент зайнятості"},
    {"sv": "Socialförvaltningen", "en": "Social services", "ar": "إدارة الخدمات الاجتماعية", "fa": "اداره خدمات اجتماعی",
     "so": "Waaxda adeegyada bulshada", "ti": "ክፍሊ ማሕበራዊ ኣገልግሎት", "uk": "Департамент соціальних послуг"},
    {"sv": "Äldreförvaltningen", "en": "Elderly care department", "ar": "إدارة رعاية المسنين", "fa": "اداره مراقبت از سالمندان",
     "so": "Waaxda daryeelka waayeelka", "ti": "ክፍሊ ክንክን ኣረጋውያን", "uk": "Департамент догляду за літніми"},
    {"sv": "Kommunikationsavdelningen", "en": "Communications unit", "ar": "قسم الاتصالات", "fa": "بخش ارتباطات",
     "so": "Qaybta isgaarsiinta", "ti": "ክፍሊ ርክባት", "uk": "Відділ комунікацій"},
]

# (title sv, title en, title ar, text sv, text en, topic key, department index, final status, steps)
RECOMMENDATIONS = [
    ("Praktikplatser i kommunen för nyanlända akademiker", "Internships in the city for newly arrived graduates",
     "تدريب عملي في البلدية للخريجين القادمين الجدد",
     "Kommunen erbjuder varje år 30 praktikplatser där utländsk utbildning och erfarenhet tas tillvara.",
     "Each year the city offers 30 internships that make use of education and experience from abroad.",
     "work", 0, Status.IMPLEMENTED),
    ("Mentorer från föreningarna", "Mentors from the associations", "مرشدون من الجمعيات",
     "Föreningar får stöd för att para ihop arbetssökande med mentorer i samma yrke.",
     "Associations get support to pair job seekers with mentors in the same trade.",
     "work", 0, Status.PARTLY_IMPLEMENTED),
    ("Välkomstsamtal på modersmålet", "Welcome talks in the mother tongue", "محادثات ترحيب باللغة الأم",
     "Alla nyanlända erbjuds ett välkomstsamtal med tolk under första månaden.",
     "All newcomers are offered a welcome talk with an interpreter in their first month.",
     "reception", 1, Status.IN_PROGRESS),
    ("En samlad informationsdag för nyanlända", "One information day for newcomers", "يوم معلومات موحّد للقادمين الجدد",
     "Kommunen, Försäkringskassan och Arbetsförmedlingen håller en gemensam informationsdag varje månad.",
     "The city and the national agencies hold a joint information day every month.",
     "reception", 1, Status.ACCEPTED),
    ("Tolk i alla biståndsbedömningar", "An interpreter at every care assessment", "مترجم في كل تقييم للرعاية",
     "Äldre som inte talar svenska får alltid tolk när deras behov av hemtjänst bedöms.",
     "Older people who do not speak Swedish always have an interpreter when their need for home care is assessed.",
     "elders", 2, Status.PRESENTED),
    ("Rätt till vård på det egna språket i lag", "A legal right to care in one's own language", "حق قانوني في الرعاية باللغة الأم",
     "Kommunen skriver till regeringen och föreslår en rätt till äldreomsorg på det egna språket.",
     "The city writes to the government proposing a right to elderly care in one's own language.",
     "elders", 2, Status.DECLINED),
    ("Informationsfilmer om äldreomsorgen", "Short films about elderly care", "أفلام قصيرة عن رعاية المسنين",
     "Korta filmer på tio språk om vad äldreomsorgen erbjuder.",
     "Short films in ten languages about what elderly care offers.",
     "elders", 3, Status.AGREED),
    ("Lokala medier bjuds in till forumen", "Local media invited to the forums", "دعوة وسائل الإعلام المحلية إلى المنتديات",
     "Lokala redaktioner bjuds in att lyssna på forumen och träffa deltagare.",
     "Local newsrooms are invited to listen at the forums and meet participants.",
     "media", 3, Status.DRAFT),
]

# Planned completion dates, in days from today: the measure in progress is overdue.
DUE_IN_DAYS = {Status.ACCEPTED: 60, Status.IN_PROGRESS: -10, Status.PARTLY_IMPLEMENTED: 120, Status.IMPLEMENTED: -30}

PATH = [Status.DRAFT, Status.AGREED, Status.PRESENTED, Status.ACCEPTED, Status.IN_PROGRESS]


def _steps(final: Status) -> list[Status]:
    if final is Status.DECLINED:
        return [Status.DRAFT, Status.AGREED, Status.PRESENTED, Status.DECLINED]
    if final in (Status.IMPLEMENTED, Status.PARTLY_IMPLEMENTED):
        return PATH + [final]
    return PATH[: PATH.index(final) + 1]


def load_demo_recommendations(forums: dict[str, Forum]) -> None:
    if db.session.scalar(select(func.count()).select_from(Recommendation)):
        return
    departments = [Department(name=name) for name in DEPARTMENTS]
    db.session.add_all(departments)
    db.session.flush()
    official = User.by_email("official@example.org")
    admin = User.by_email("admin@example.org")
    if official is not None:
        official.department_id = departments[0].id

    for key in ("work", "reception"):
        forum = forums[key]
        result = ForumResult(forum_id=forum.id, attendance=128 if key == "work" else 164, published=True,
                             summary={"sv": "Deltagarna berättade om långa väntetider och om att utländsk "
                                            "erfarenhet inte räknas. Många ville ha mer kontakt med arbetsgivare.",
                                      "en": "Participants spoke of long waits and of experience from abroad that does "
                                            "not count. Many wanted more contact with employers."})
        for question in forum.topic.questions:
            result.findings.append(Finding(question_id=question.id,
                                           text={"sv": "Flera grupper tog upp språkkrav och kontakter.",
                                                 "en": "Several groups raised language requirements and contacts."}))
        db.session.add(result)
        forum.status = ForumStatus.DOCUMENTED

    now = utcnow()
    made: list[Recommendation] = []
    for index, (t_sv, t_en, t_ar, x_sv, x_en, key, dep, final) in enumerate(RECOMMENDATIONS):
        forum = forums[key]
        steps = _steps(final)
        start = now - timedelta(days=20 * len(steps) + 5 * index)
        recommendation = Recommendation(
            topic_id=forum.topic_id, title={"sv": t_sv, "en": t_en, "ar": t_ar}, text={"sv": x_sv, "en": x_en},
            within_competence=index != 5, status=final, departments=[departments[dep]], forums=[forum],
            route={"sv": "Ett brev från kommunstyrelsen till regeringen.", "en": "A letter from the city board to the government."}
            if index == 5 else {},
            responsible_official_id=official.id if official and final in (Status.IN_PROGRESS, Status.IMPLEMENTED,
                                                                            Status.PARTLY_IMPLEMENTED, Status.ACCEPTED) else None,
            responsible_role={"sv": "Enhetschef, arbetsmarknad", "en": "Head of unit, employment"}
            if final in (Status.IMPLEMENTED, Status.PARTLY_IMPLEMENTED, Status.IN_PROGRESS, Status.ACCEPTED) else {},
            presented_on=(start + timedelta(days=40)).date() if Status.PRESENTED in steps else None,
            presented_to="Kommunstyrelsen" if Status.PRESENTED in steps else "",
            decision_reason={"sv": "Frågan ligger utanför kommunens befogenheter.",
                             "en": "The question lies outside the city's competence."} if final is Status.DECLINED else {},
            outcome={"sv": "30 praktikplatser har tillsatts.", "en": "30 internships have been filled."}
            if final is Status.IMPLEMENTED else
            ({"sv": "Tolv mentorspar är igång.", "en": "Twelve mentor pairs have started."}
             if final is Status.PARTLY_IMPLEMENTED else {}),
            due_on=DUE_IN_DAYS.get(final) and (now + timedelta(days=DUE_IN_DAYS[final])).date(),
            created_at=start, updated_at=start + timedelta(days=20 * (len(steps) - 1)))
        previous = None
        for step_index, status in enumerate(steps):
            recommendation.changes.append(StatusChange(
                from_status=previous, to_status=status, at=start + timedelta(days=20 * step_index),
                user_id=(official.id if official and status in (Status.IN_PROGRESS, Status.IMPLEMENTED,
                                                                 Status.PARTLY_IMPLEMENTED) else admin.id if admin else None)))
            previous = status
        if final in (Status.IN_PROGRESS, Status.IMPLEMENTED, Status.PARTLY_IMPLEMENTED):
            recommendation.updates.append(ProgressUpdate(
                on=(start + timedelta(days=90)).date(), user_id=official.id if official else None,
                text={"sv": "Arbetet har börjat. En projektgrupp med två föreningar är tillsatt.",
                      "en": "Work has begun. A project group with two associations has been set up."}))
        db.session.add(recommendation)
        made.append(recommendation)
    _hand_on_and_presentation(made, official, now)
    db.session.commit()


def _hand_on_and_presentation(made: list[Recommendation], official, now) -> None:  # noqa: ANN001
    """The right to care in one's own language lies with the government: the city wrote, and was answered.
    The recommendations past the core team were presented jointly to the city executive board."""
    outside = next(r for r in made if not r.within_competence)
    sent = (now - timedelta(days=60)).date()
    outside.hand_ons.append(HandOn(
        to_whom="Regeringskansliet, Socialdepartementet", sent_on=sent, answered_on=sent + timedelta(days=35),
        answer={"sv": "Departementet tar med förslaget i utredningen om äldreomsorgens språk.",
                "en": "The ministry includes the proposal in its inquiry into the languages of elderly care."}))
    presented = [r for r in made if any(c.to_status is Status.PRESENTED for c in r.changes)]
    if not presented:
        return
    presentation = Presentation(presented_on=min(r.presented_on for r in presented if r.presented_on),
                                body="Kommunstyrelsen")
    db.session.add(presentation)
    presentation.recommendations = presented
    presentation.members = list(db.session.scalars(select(CoreTeamMember).order_by(CoreTeamMember.id).limit(3)))
    presentation.officials = [official] if official else []
