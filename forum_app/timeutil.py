"""The city's time zone: staff type local times; the database keeps UTC."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app

from .models_base import utcnow


def city_tz() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def local_to_utc(local: datetime) -> datetime:
    """A naive local time as typed by staff (e.g. 18:00 in Stockholm) to an aware UTC time."""
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
