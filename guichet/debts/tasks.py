from django.tasks import task
from django.utils import timezone

from guichet.core.actors import SYSTEM


@task()
def issue_notices_task() -> None:
    from guichet.debts import services

    services.issue_due_notices(today=timezone.localdate(), actor=SYSTEM)


@task()
def post_payments_task() -> None:
    """The accounting run: posts the accepted payments."""
    from guichet.debts import services

    services.post_accepted_payments(actor=SYSTEM)


@task()
def reconcile_payments_task() -> None:
    from guichet.debts import services

    services.reconcile_stale_payments()
