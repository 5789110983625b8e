"""End to end through the real task backend: the outbox, django_tasks_db and its db_worker."""

import logging
import signal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.tasks import task_backends
from django.test import override_settings
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from guichet.insured.tests.factories import InsuredPersonFactory
from guichet.messaging.enums import EmailStatus
from guichet.messaging.services import RETRY_DELAYS, queue_email

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_tasks():
    """The production task backend; django.tasks drops its cached backends on setting_changed."""
    with override_settings(TASKS=DATABASE_TASKS):
        assert isinstance(task_backends["default"], DatabaseBackend)
        yield


@pytest.fixture
def run_worker():
    """Run db_worker until no task is ready, then restore the signal handlers and log levels
    it sets for itself."""
    handled = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    handlers = {number: signal.getsignal(number) for number in handled}
    loggers = [logging.getLogger(name) for name in ("django.tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]

    def run():
        call_command(
            "db_worker",
            batch=True,
            startup_delay=False,
            queue_name="default",
            interval=0,
            reload=False,
            verbosity=0,
        )

    yield run
    for number, handler in handlers.items():
        signal.signal(number, handler)
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.mark.django_db(transaction=True)
def test_email_queued_in_a_transaction_is_sent_by_the_database_worker(
    database_tasks, run_worker, mailoutbox
):
    person = InsuredPersonFactory(first_names="Jessica", birth_name="PETIT")

    with transaction.atomic():
        email = queue_email(to=person.email, template="code_changed", context={"person": person})
        assert not DBTaskResult.objects.exists()  # nothing leaves before the commit
    assert DBTaskResult.objects.get().status == "READY"
    assert mailoutbox == []

    run_worker()

    email.refresh_from_db()
    assert email.status == EmailStatus.SENT
    [message] = mailoutbox
    assert (message.to, message.subject) == ([person.email], "Votre code personnel a été modifié")
    assert message.body.startswith("Bonjour Jessica PETIT,")
    [task] = DBTaskResult.objects.all()
    assert (task.status, task.return_value) == ("SUCCESSFUL", EmailStatus.SENT)


@pytest.mark.django_db(transaction=True)
def test_failed_email_waits_in_the_database_queue_until_its_retry_time(
    database_tasks, run_worker, mailoutbox, settings
):
    settings.MAILERS = {"default": {"BACKEND": "guichet.messaging.tests.test_outbox.BrokenMailer"}}
    person = InsuredPersonFactory()
    with transaction.atomic():
        email = queue_email(to=person.email, template="code_changed", context={"person": person})

    run_worker()  # makes the first attempt, then stops: the retry is not ready yet

    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.PENDING, 1)
    assert mailoutbox == []
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == email.next_attempt_at
    assert (email.next_attempt_at - email.created_at).total_seconds() >= RETRY_DELAYS[0]
    assert retry.args_kwargs == {"args": [], "kwargs": {"email_id": email.pk}}
