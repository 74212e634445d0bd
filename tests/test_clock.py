"""The suite's clock: ``FORUM_TEST_NOW`` moves it for a whole run (``make test-dates``), ``clock`` for one test."""

from __future__ import annotations

import os
from datetime import datetime, timedelta

from forum_app.core.models_base import utcnow


def test_the_session_clock_is_where_the_run_asked():
    moment = os.environ.get("FORUM_TEST_NOW")
    expected = datetime.fromisoformat(moment) if moment else None
    now = utcnow()
    if expected is None:
        assert abs(now - datetime.now().astimezone()) < timedelta(seconds=5)
    else:  # the run has been going for a while, but not for a day
        assert expected <= now < expected + timedelta(hours=3)


def test_clock_fixes_one_test_and_keeps_ticking(clock):
    clock("2028-02-29T12:00+01:00")
    first = utcnow()
    assert first.date().isoformat() == "2028-02-29" and first.hour == 11
    assert utcnow() >= first
