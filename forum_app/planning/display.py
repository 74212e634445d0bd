"""How forums read in the reader's language: when, what is offered, status labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlencode

import segno
from flask import Flask, current_app
from flask_babel import force_locale, lazy_pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..core.timeutil import utc_to_local
from ..i18n import reader_language
from ..i18n.content import language_display_name, localize
from ..i18n.formatting import format_date, format_datetime, format_time
from ..i18n.labels import label, name_values
from .models import Forum, ForumFormat, ForumStatus, ProposerKind

STATUS_LABELS = name_values(ForumStatus, {
    ForumStatus.DRAFT: _l("Draft"),
    ForumStatus.PUBLISHED: _l("Open for registration"),
    ForumStatus.CANCELLED: lazy_pgettext("forum", "Cancelled"),  # a forum is "inställt", a registration "avbokad"
    ForumStatus.HELD: _l("Held"),
    ForumStatus.DOCUMENTED: _l("Results published"),
})


def qr_svg(url: str) -> Markup:
    """A QR code for posters and sheets, generated here, never by an outside service; SVG stays sharp
    on paper."""
    return Markup(segno.make(url, error="m").svg_inline(scale=6, dark="#000", light="#fff", omitsize=True))


def venue_line(forum: Forum) -> str:
    """The place and its address as one translated sentence: the comma is the language's ("،", "፣")."""
    if not forum.venue_address:
        return forum.venue_name or ""
    return _("%(venue)s, %(address)s", venue=forum.venue_name, address=forum.venue_address)


def forum_when(forum: Forum) -> str:
    """E.g. "tisdag 3 mars 2027, 18:00–21:00", in the reader's language and the city's time."""
    return _forum_when(forum.starts_at, forum.ends_at, reader_language(), current_app.config["TIMEZONE"])


def forum_when_in(forum: Forum, lang: str) -> str:
    """The same in ``lang`` (an email to someone who reads another language than the page)."""
    return _forum_when(forum.starts_at, forum.ends_at, lang, current_app.config["TIMEZONE"])


def forum_when_short(forum: Forum, lang: str) -> str:
    """As short as an SMS needs it: "3 mars 2027 18:00" (the day, month and start), in ``lang``."""
    start = utc_to_local(forum.starts_at)
    with force_locale(lang):
        return _("%(date)s %(time)s", date=format_date(start, "medium", lang), time=format_time(start, "short", lang))


@lru_cache(maxsize=4096)
def _forum_when(starts_at: datetime, ends_at: datetime, lang: str, timezone: str) -> str:  # noqa: ARG001
    # The same few moments are formatted on every forum list; Babel's formatting is most of the time a
    # list page takes, and its result depends only on these arguments (the zone and language included).
    start, end = utc_to_local(starts_at), utc_to_local(ends_at)
    if start.date() == end.date():
        return _("%(date)s, %(start)s–%(end)s", date=format_date(start, "full", lang),
                 start=format_time(start, "short", lang), end=format_time(end, "short", lang))
    return _("%(start)s to %(end)s", start=format_datetime(start, "full", lang),
             end=format_datetime(end, "full", lang))


EVENING_FROM_HOUR = 18  # the chapter: "an evening meeting after 18:00"


def format_advice(forum: Forum) -> str | None:
    """The chapter's advice, for staff only (not a rule): an evening meeting starts at 18:00 or later, so
    that people who work can come."""
    if forum.format is ForumFormat.EVENING and utc_to_local(forum.starts_at).hour < EVENING_FROM_HOUR:
        return _("This evening meeting starts before 18:00. The chapter advises 18:00 or later, so that people "
                 "who work can come; or make it a full day with a side programme.")
    return None


def side_event_time(item) -> str:  # noqa: ANN001 - a SideEvent
    return format_time(utc_to_local(item.starts_at), "short", reader_language())


def programme_lines(forum: Forum, lang: str) -> list[tuple[str, str, str]]:
    """(time, title, text) of each side-programme item in ``lang``, for the poster and the calendar file."""
    if not forum.has_side_programme:
        return []
    return [(format_time(utc_to_local(item.starts_at), "short", lang), localize(item.title, lang).text,
             localize(item.text, lang).text) for item in forum.side_programme]


PROPOSER_LABELS = name_values(ProposerKind, {
    ProposerKind.RESIDENT: _l("A resident"),
    ProposerKind.ASSOCIATION: _l("An association"),
    ProposerKind.DEPARTMENT: _l("A city department"),
})

FORMAT_LABELS = name_values(ForumFormat, {
    ForumFormat.EVENING: _l("An evening meeting"),
    ForumFormat.FULL_DAY: _l("A full day with a side programme"),
})


def interpretation_names(forum: Forum) -> list[str]:
    return [language_display_name(code) for code in forum.interpretation_languages or []]


@dataclass(frozen=True)
class MapLinks:
    """Where a forum is, as links a phone opens in its own map: no map is embedded and no script runs."""

    osm: str  # OpenStreetMap: the pin when staff gave a position, else a search for the address
    geo: str | None  # RFC 5870 geo: URI, which a phone hands to its map app; only with a position


def map_links(forum: Forum) -> MapLinks:
    """The forum page and the emails give the address with these links (and the stop, ``forum.venue_stop``)."""
    lat, lon = forum.venue_latitude, forum.venue_longitude
    if lat is not None and lon is not None:
        return MapLinks(f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=18/{lat:.6f}/{lon:.6f}",
                        f"geo:{lat:.6f},{lon:.6f}")
    place = ", ".join(p for p in (forum.venue_address, current_app.config["CITY_NAME"]) if p)
    return MapLinks("https://www.openstreetmap.org/search?" + urlencode({"query": place}), None)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(map_links=map_links, forum_when=forum_when, venue_line=venue_line, forum_status_label=label, format_advice=format_advice,
                                 side_event_time=side_event_time,
                                 interpretation_names=interpretation_names)
