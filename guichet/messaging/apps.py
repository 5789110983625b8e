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
        register_topics_table()


def register_topics_table() -> None:
    """The topics of "J'ai une question" are reference data the back office edits."""
    from guichet.backoffice import referentials
    from guichet.messaging import services
    from guichet.messaging.forms import TopicForm
    from guichet.messaging.models import Topic

    referentials.register(
        referentials.ReferenceTable(
            slug="sujets-des-messages",
            title="Sujets des messages",
            description="Les sujets que les assurés choisissent quand ils écrivent à leur caisse "
            "(« J'ai une question »). Ils sont communs à toutes les caisses.",
            rows=lambda fund: Topic.objects.all(),
            columns=[("Ordre", "position"), ("Sujet", "label"), ("Proposé", "active_display")],
            form=TopicForm,
            update=lambda *, row, actor, **data: services.update_topic(
                topic=row, actor=actor, **data
            ),
            field_labels={"label": "Libellé", "position": "Ordre d'affichage", "active": "Proposé"},
        )
    )
