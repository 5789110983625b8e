import datetime as dt

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "guichet.messaging"
    label = "messaging"
    verbose_name = "Messagerie et e-mails"

    def ready(self):
        from guichet.core import scheduler
        from guichet.messaging.tasks import purge_expired_messages_task, requeue_due_emails_task

        # An e-mail whose task was lost (a worker killed mid-send) is picked up again.
        scheduler.register(
            name="requeue_due_emails", every=dt.timedelta(minutes=5), task=requeue_due_emails_task
        )
        # Messages are kept GUICHET_MESSAGE_RETENTION_MONTHS ("Sera supprimé le …").
        scheduler.register(
            name="purge_expired_messages",
            every=dt.timedelta(hours=6),
            task=purge_expired_messages_task,
        )
