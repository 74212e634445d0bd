"""Who may do what: every ability a staff page or template asks for, mapped to the roles that have it.

This table is the one place that answers "may this person do that?". Views ask through
``access.staff_required("ability")``, templates through ``current_user.can("ability")``; nothing
else compares role names. (How a recommendation may move between statuses depends on the
recommendation too, and lives in ``recommendations/workflow.py``, which builds on these roles.)
"""

from __future__ import annotations

# The roles' values (``Role`` is a str enum, so ``Role.ADMIN`` is found in these sets too).
ADMIN, CORETEAM, OFFICIAL, TRANSLATOR = "admin", "coreteam", "official", "translator"

ABILITIES: dict[str, frozenset[str]] = {
    # the staff pages as a whole
    "see_dashboard": frozenset({ADMIN, CORETEAM, OFFICIAL, TRANSLATOR}),
    # the year's plan
    "manage_plan": frozenset({ADMIN}),  # mandate, topics, partner organisations
    "see_plan": frozenset({ADMIN, CORETEAM}),  # the year's mandate and topics, to read
    "agree_topics": frozenset({ADMIN, CORETEAM}),  # record the core team's agreement to a topic's mandate
    "manage_consultation": frozenset({ADMIN}),  # the call for questions before the year's topics
    "manage_budget": frozenset({ADMIN}),
    "see_forums": frozenset({ADMIN, CORETEAM}),
    "manage_forums": frozenset({ADMIN}),  # create, edit, publish, cancel, mark held, invite partners
    # registrations
    "see_registrations": frozenset({ADMIN, CORETEAM}),  # names, door needs and check-in state
    "see_contact_details": frozenset({ADMIN}),  # email, phone, children's ages of residents
    "export_registrations": frozenset({ADMIN}),
    "check_in": frozenset({ADMIN, CORETEAM}),
    "cancel_registrations": frozenset({ADMIN}),
    "move_up_waiting_list": frozenset({ADMIN}),  # a chosen person to the top of the waiting list, with a reason
    # the core team
    "manage_core_team": frozenset({ADMIN}),  # volunteers, terms, invitations to an account
    "see_meetings": frozenset({ADMIN, CORETEAM}),
    "read_meeting_records": frozenset({ADMIN, CORETEAM, OFFICIAL}),  # officials: the meetings they are invited to
    "meet_the_core_team": frozenset({OFFICIAL}),  # the core-team meetings an official is invited to
    "manage_meetings": frozenset({ADMIN}),
    "use_workspace": frozenset({ADMIN, CORETEAM}),
    "work_in_core_team": frozenset({CORETEAM}),  # the workspace on a member's own dashboard
    # results and recommendations
    "document_results": frozenset({ADMIN, CORETEAM}),
    "see_recommendations": frozenset({ADMIN, CORETEAM, OFFICIAL}),  # officials: their own measures
    "draft_recommendations": frozenset({ADMIN, CORETEAM}),
    "route_recommendations": frozenset({ADMIN}),  # responsible official, departments
    "record_hand_on": frozenset({ADMIN}),  # a recommendation outside the city's competence passed on
    "record_presentations": frozenset({ADMIN}),  # the joint presentation to the decision makers
    "report_progress": frozenset({ADMIN, OFFICIAL}),
    "see_own_measures": frozenset({OFFICIAL}),  # "measures you are responsible for"
    "manage_departments": frozenset({ADMIN}),
    # a measure's planned and actual costs; officials: of their own department's measures (workflow.py)
    "budget_measures": frozenset({ADMIN, OFFICIAL}),
    # communication and impact
    "manage_newsletter": frozenset({ADMIN}),
    "manage_mail": frozenset({ADMIN}),
    "manage_impact": frozenset({ADMIN}),  # the annual report's text
    "enter_feedback": frozenset({ADMIN, CORETEAM}),  # feedback typed in from paper forms (each with a slip's code)
    "print_feedback_slips": frozenset({ADMIN}),  # one-time feedback codes: each makes one answer count
    # staff content in every language: what lacks a language, filled in by hand or from an interpreter's file
    "translate_content": frozenset({ADMIN, TRANSLATOR}),
    # people and data
    "manage_users": frozenset({ADMIN}),
    "see_audit_log": frozenset({ADMIN}),
    "handle_privacy_requests": frozenset({ADMIN}),
}


def roles_with(ability: str) -> frozenset[str]:
    try:
        return ABILITIES[ability]
    except KeyError:
        raise KeyError(f"unknown ability {ability!r}: add it to web/permissions.py") from None


def can(role: str | None, ability: str) -> bool:
    return role is not None and role in roles_with(ability)
