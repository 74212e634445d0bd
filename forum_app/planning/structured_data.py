"""A forum as schema.org ``Event`` (JSON-LD in the invitation's head), so that a search engine can show its
date and place, and say so when it is cancelled or moved."""

from __future__ import annotations

from flask import current_app

from ..core.timeutil import utc_to_local
from ..i18n.content import localize
from ..web.links import external_url
from ..web.seo import publisher_email, publisher_name
from .models import Forum, ForumStatus

SCHEMA = "https://schema.org/"


def _status(forum: Forum) -> str:
    if forum.status is ForumStatus.CANCELLED:
        return "EventCancelled"
    return "EventRescheduled" if forum.previous_starts_at is not None else "EventScheduled"


def forum_event(forum: Forum, lang: str) -> dict:
    """The forum in ``lang``. A forum staff have moved (``forum.previous_starts_at``, the start it was
    announced with) is ``EventRescheduled`` with ``previousStartDate``. Times carry the city's offset of
    that day."""
    description = localize(forum.description, lang)
    event = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": localize(forum.hook, lang).text,
        "startDate": utc_to_local(forum.starts_at).isoformat(),
        "endDate": utc_to_local(forum.ends_at).isoformat(),
        "eventStatus": SCHEMA + _status(forum),
        "eventAttendanceMode": SCHEMA + "OfflineEventAttendanceMode",
        "location": {
            "@type": "Place",
            "name": forum.venue_name,
            "address": {"@type": "PostalAddress", "streetAddress": forum.venue_address,
                        "addressLocality": current_app.config["CITY_NAME"]},
        },
        "inLanguage": lang,
        "isAccessibleForFree": True,
        "url": external_url("planning.forum", lang=lang, forum_id=forum.id),
        "organizer": {"@type": "Organization", "name": publisher_name(), "email": publisher_email(),
                      "url": external_url("site.home", lang=lang)},
    }
    if description and not description.is_fallback:
        event["description"] = description.text
    if forum.previous_starts_at is not None and forum.status is not ForumStatus.CANCELLED:
        event["previousStartDate"] = utc_to_local(forum.previous_starts_at).isoformat()
    return event
