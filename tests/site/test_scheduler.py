import time

import pytest
from sqlalchemy import select

from forum_app import scheduler
from forum_app.core.extensions import db
from forum_app.jobs import claims
from forum_app.jobs import once as jobs
from forum_app.jobs.heartbeat import Heartbeat

from ..conftest import wait_until

JOB_NAMES = sorted(scheduler.job_name(job) for job, _minutes in scheduler.JOBS)


def test_every_scheduled_job_runs_on_an_empty_database(app):
    for job, minutes in scheduler.JOBS:
        assert minutes > 0
        scheduler.run_job(app, job)  # raises if a job is broken


def test_every_job_is_scheduled_under_its_own_name(app):
    jobs = scheduler.build(app).get_jobs()
    assert sorted(job.id for job in jobs) == JOB_NAMES
    assert sorted(job.name for job in jobs) == JOB_NAMES  # so the log says which job ran, or was late
    assert len(set(JOB_NAMES)) == len(scheduler.JOBS)
    assert "newsletter.sending.send_due" in JOB_NAMES


def _jobs_that_ran(app) -> list[str]:  # noqa: ANN001
    with app.app_context():
        names = sorted(set(db.session.scalars(select(Heartbeat.name))) & set(JOB_NAMES))
        db.session.remove()
    return names


@pytest.mark.slow
def test_a_late_start_still_runs_every_job_at_once(app):
    """The jobs are added with their first run at once, and the scheduler starts two seconds later (a slow
    start-up, as beside gunicorn's workers booting): APScheduler's default second of grace dropped every
    first run, and the daily jobs waited a day."""
    late = scheduler.build(app)
    time.sleep(2)
    late.start()
    try:
        wait_until(lambda: _jobs_that_ran(app) == JOB_NAMES, seconds=45,
                   what="every job's first run (a missed one waits a minute, a day for the daily ones)")
    finally:
        late.shutdown(wait=True)


@pytest.fixture
def stopping():
    yield claims.STOPPING
    claims.STOPPING.clear()  # in a real process it stays set: the process is ending


def test_a_planned_stop_leaves_the_rest_of_a_jobs_items_for_its_next_run(app, stopping):
    done = []

    def remind(item: int) -> None:
        done.append(item)
        if item == 2:
            stopping.set()  # SIGTERM arrives while the second item is being done

    with app.app_context():
        assert jobs.claim_and_do([1, 2, 3, 4], lambda item: True, remind) == 2
    assert done == [1, 2]
