"""Demo core team: about a dozen members with varied languages, one term about to end, meetings."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import func, select

from ..accounts.models import User
from ..core.extensions import db
from ..core.timeutil import city_today, local_to_utc
from .models import TASKS, CoreTeamMember, Meeting, MeetingGuest, MembershipEnd, Volunteer
from .services import one_year_after

MEMBERS = [
    ("Dawit Tesfay", "ti", ["ti", "am", "sv"]), ("Hodan Ali", "so", ["so", "sv"]), ("Nadia Rahimi", "fa", ["fa", "fa_AF"]),
    ("Omar Khalil", "ar", ["ar", "en"]), ("Olena Kovalenko", "uk", ["uk", "ru", "en"]), ("Ahmed Jama", "so", ["so", "ar"]),
    ("Selam Haile", "ti", ["ti", "ar"]), ("Farhad Karimi", "fa", ["fa", "ku"]), ("Lina Haddad", "ar", ["ar", "fr"]),
    ("Mariam Yusuf", "sv", ["so", "sv", "en"]), ("Iryna Melnyk", "uk", ["uk", "pl"]), ("Tesfaye Bekele", "en", ["am", "om"]),
]


def load_demo_coreteam() -> None:
    if db.session.scalar(select(func.count()).select_from(CoreTeamMember)):
        return
    day = city_today()
    for index, (name, lang, languages) in enumerate(MEMBERS):
        # One term ends in three weeks; the others started at different times this year.
        start = day - timedelta(days=344) if index == 2 else day - timedelta(days=30 * (index % 8) + 10)
        db.session.add(CoreTeamMember(
            name=name, email=f"{name.split()[0].lower()}@example.org", language=lang, languages=languages,
            tasks=[TASKS[index % len(TASKS)], TASKS[(index + 2) % len(TASKS)]], term_start=start,
            term_end=one_year_after(start)))
    db.session.add_all([
        Volunteer(name="Yasmin Noor", email="yasmin@example.org", language="ar", languages=["ar", "sv"],
                  message="Jag vill hjälpa till att nå fler kvinnor."),
        Volunteer(name="Abdirahman Warsame", email="abdi@example.org", language="so", languages=["so"]),
        Volunteer(name="Mebrat Gebre", phone="070 555 12 34", language="ti", languages=["ti"], on_paper=True,
                  message="Skrev på pappersblanketten vid dörren."),
    ])
    # A member who stepped down in the spring: the team's size counts only those still in it.
    start = day - timedelta(days=200)
    db.session.add(CoreTeamMember(name="Khalid Osman", email="khalid@example.org", language="ar", languages=["ar"],
                                  term_start=start, term_end=day - timedelta(days=60), ended_on=day - timedelta(days=59),
                                  end_reason=MembershipEnd.STEPPED_DOWN, end_note="Ny anställning på kvällstid"))
    db.session.flush()
    members = db.session.scalars(select(CoreTeamMember)).all()

    members[0].user = User.by_email("coreteam@example.org")  # the demo login is Dawit's account
    for offset, title, agenda in [
        (-40, "Förberedelse inför forumet om arbete", "1. Inbjudan och affischer\n2. Vilka föreningar bjuder vi in?"),
        (-12, "Sammanfattning av forumet om mottagandet", "1. Vad sa deltagarna?\n2. Första utkast till rekommendationer"),
        (9, "Möte med socialförvaltningen", "1. Presentation av rekommendationerna\n2. Vem ansvarar för vad?"),
    ]:
        start = local_to_utc(datetime.combine(day + timedelta(days=offset), time(18, 0)))
        meeting = Meeting(title=title, starts_at=start, ends_at=start + timedelta(hours=2),
                          place="Integrationsenheten, Stora torget 3", agenda=agenda)
        if offset > 0:  # the meeting with the department: an official and a department's staff invited
            official = User.by_email("official@example.org")
            meeting.officials = [official] if official else []
            meeting.guests = [MeetingGuest(name="Per Ek", email="per.ek@example.org", department="Socialförvaltningen")]
        if offset < 0:
            meeting.notes = "Bra diskussion. Alla fick komma till tals med tolk."
            meeting.decisions = "Vi skriver ett första utkast till nästa möte."
            meeting.attendees = members[: 8 + offset % 3]
        db.session.add(meeting)
    db.session.commit()
