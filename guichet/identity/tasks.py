from django.tasks import task

from guichet.identity import services


@task()
def purge_stale_email_challenges_task() -> int:
    return services.purge_stale_email_challenges()


@task()
def purge_stale_round_trips_task() -> int:
    return services.purge_stale_round_trips()
