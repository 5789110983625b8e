"""Periodic jobs: each app registers what must run every so often; a scheduler process enqueues
each job when its time comes, as a task for the workers (ADR 0011).

Any number of scheduler processes may run: a job's turn is claimed by one conditional UPDATE of
its ScheduledJob row, so it is enqueued once per period whichever process gets there first.
"""

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.tasks import Task
from django.utils import timezone

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    every: dt.timedelta
    task: Task


JOBS: dict[str, PeriodicJob] = {}


def register(*, name: str, every: dt.timedelta, task: Task) -> None:
    """Called from an app's AppConfig.ready(): `task` (taking no argument) runs every `every`."""
    JOBS[name] = PeriodicJob(name, every, task)


def enqueue_due_jobs(*, now: dt.datetime | None = None) -> list[str]:
    """Enqueue every job whose period has passed; returns the names of those enqueued."""
    from guichet.core.models import ScheduledJob

    now = now or timezone.now()
    enqueued = []
    for job in JOBS.values():
        try:
            with transaction.atomic():
                ScheduledJob.objects.get_or_create(name=job.name)
        except IntegrityError:  # another scheduler created the row at the same moment
            pass
        with transaction.atomic():
            claimed = (
                ScheduledJob.objects.filter(name=job.name)
                .filter_due(now=now, every=job.every)
                .update(last_enqueued_at=now)
            )
            if claimed:
                transaction.on_commit(job.task.enqueue)
                enqueued.append(job.name)
    if enqueued:
        logger.info("periodic jobs enqueued", extra={"jobs": ",".join(enqueued)})
    return enqueued
