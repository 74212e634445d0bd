"""Demo feedback for the forums already held, and a text for the year's report. Safe to run twice."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from ..core.extensions import db
from ..core.timeutil import city_today, utc_to_local
from ..planning.models import Forum, ForumStatus
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
