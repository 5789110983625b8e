import datetime as dt

import pytest
from django.core.management import call_command
from django.tasks import default_task_backend, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from guichet.core import scheduler
from guichet.core.models import ScheduledJob
from guichet.core.tasks import prune_task_results_task

pytestmark = pytest.mark.django_db


@task()
def heartbeat_task() -> None:
    """A periodic job for the tests."""


@pytest.fixture
def heartbeat(monkeypatch):
    monkeypatch.setattr(scheduler, "JOBS", {})
    scheduler.register(name="heartbeat", every=dt.timedelta(minutes=10), task=heartbeat_task)


def enqueued_names() -> list[str]:
    return [result.task.name for result in default_task_backend.results]


def test_a_due_job_is_enqueued_once_per_period(heartbeat, django_capture_on_commit_callbacks):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert scheduler.enqueue_due_jobs(now=now) == ["heartbeat"]
        assert scheduler.enqueue_due_jobs(now=now + dt.timedelta(minutes=9)) == []
        assert scheduler.enqueue_due_jobs(now=now + dt.timedelta(minutes=10)) == ["heartbeat"]
    assert enqueued_names() == ["heartbeat_task", "heartbeat_task"]
    assert ScheduledJob.objects.get(name="heartbeat").last_enqueued_at == now + dt.timedelta(
        minutes=10
    )


def test_two_schedulers_at_the_same_moment_enqueue_a_job_once(
    heartbeat, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        first = scheduler.enqueue_due_jobs(now=now)
        second = scheduler.enqueue_due_jobs(now=now)
    assert (first, second) == (["heartbeat"], [])
    assert len(default_task_backend.results) == 1


def test_run_scheduler_once_enqueues_what_is_due(heartbeat, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", once=True)
    assert enqueued_names() == ["heartbeat_task"]


def test_the_apps_register_their_housekeeping():
    assert {"prune_task_results", "requeue_due_emails", "purge_stale_email_challenges"} <= set(
        scheduler.JOBS
    )


@pytest.mark.django_db(transaction=True)
def test_the_prune_job_forgets_finished_task_results_after_14_days(settings):
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    old = heartbeat_task.enqueue()
    recent = heartbeat_task.enqueue()
    DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=timezone.now())
    DBTaskResult.objects.filter(id=old.id).update(
        finished_at=timezone.now() - dt.timedelta(days=15)
    )
    prune_task_results_task.call()
    assert [str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)] == [recent.id]
