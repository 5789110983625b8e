from django.tasks import task

from guichet.messaging import services


@task()
def deliver_email_task(email_id: int) -> str:
    return services.deliver_email(email_id=email_id).status


@task()
def requeue_due_emails_task() -> int:
    return services.requeue_due_emails()


@task()
def purge_expired_messages_task() -> int:
    return services.purge_expired_messages()


@task()
def send_payment_information_task() -> int:
    return services.send_payment_information()
