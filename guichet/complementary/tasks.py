from django.tasks import task

from guichet.complementary import services


@task()
def detect_overlaps_task() -> int:
    return services.detect_overlaps()


@task()
def process_due_requests_task() -> int:
    return services.process_due_requests()
