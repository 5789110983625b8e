from django.core.management import call_command
from django.tasks import task


@task()
def prune_task_results_task() -> None:
    """Forget finished task results after 14 days (failed ones after 30), on every queue."""
    call_command(
        "prune_db_task_results",
        queue_name="*",
        min_age_days=14,
        failed_min_age_days=30,
        verbosity=0,
    )
