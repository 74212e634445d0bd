from forum_app import scheduler


def test_every_scheduled_job_runs_on_an_empty_database(app):
    for job, minutes in scheduler.JOBS:
        assert minutes > 0
        scheduler.run_job(app, job)  # raises if a job is broken


def test_the_scheduler_process_registers_every_job(app, monkeypatch):
    from apscheduler.schedulers.blocking import BlockingScheduler

    added = []
    monkeypatch.setattr(BlockingScheduler, "start", lambda self: added.extend(j.id for j in self.get_jobs()))
    result = app.test_cli_runner().invoke(args=["scheduler"])
    assert result.exit_code == 0, result.output
    assert sorted(added) == sorted(job.__name__ for job, _ in scheduler.JOBS)
