"""The city's time zone: staff type local times; the database keeps UTC."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app

from .models_base import utcnow


def city_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def local_to_utc(local: datetime) -> datetime:
    """A naive local time as typed by staff (e.g. 18:00 in Stockholm) to an aware UTC time.

    Of a time that happens twice (the night the clocks go back) ``local.fold`` says which: 0 the first,
    1 the second. A time that does not exist (the night they go forward) is read with the offset before
    the change; the forms refuse one before it gets here (``formtools.CityDateTimeField``)."""
    if local.tzinfo is None:
        local = local.replace(tzinfo=city_tz())
    return local.astimezone(timezone.utc)


def utc_to_local(moment: datetime) -> datetime:
    return moment.astimezone(city_tz())


def city_today():  # noqa: ANN201 - a date
    """Today's date in the city."""

    return utc_to_local(utcnow()).date()


def year_arg(args) -> int:  # noqa: ANN001 - request.args
    """``?year=`` when it is a sensible year, else the city's current year."""
    year = args.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else city_today().year


def local_naive(moment: datetime | None) -> datetime | None:
    """For filling a datetime-local form field."""
    return utc_to_local(moment).replace(tzinfo=None) if moment else None


@dataclass(frozen=True)
class ClockChange:
    """The change of the city's clocks that makes a local time not exist (``skipped``) or happen twice."""

    skipped: bool  # True: the clocks go forward over it; False: they go back and it comes twice
    before: datetime  # the clock's reading (naive, local) at the moment of the change, as it was...
    after: datetime  # ...and as it is right after it: 02:00 and 03:00 in spring, 03:00 and 02:00 in autumn
    offset_before: timedelta  # from UTC: summer time, in autumn
    offset_after: timedelta


def clock_change_at(local: datetime) -> ClockChange | None:
    """The clock change that ``local`` (naive, city time) falls into, or None for an ordinary time."""
    zone = city_tz()
    first, second = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    # zoneinfo gives a skipped time the offset before the change with fold=0 (so it reads back as another
    # time), and a repeated one the first offset with fold=0; either way fold=0 is before the change.
    offset_before, offset_after = first.utcoffset(), second.utcoffset()
    skipped = first.astimezone(timezone.utc).astimezone(zone).replace(tzinfo=None) != local.replace(fold=0)
    # The change happens at one moment in UTC, within the hours around; find it to the minute.
    low = local.replace(fold=0) - max(offset_before, offset_after) - timedelta(hours=1)
    high = local.replace(fold=0) - min(offset_before, offset_after) + timedelta(hours=1)
    while high - low > timedelta(minutes=1):
        middle = low + (high - low) / 2
        if middle.replace(tzinfo=timezone.utc).astimezone(zone).utcoffset() == offset_before:
            low = middle
        else:
            high = middle
    moment = high.replace(second=0, microsecond=0)
    return ClockChange(skipped, moment + offset_before, moment + offset_after, offset_before, offset_after)
