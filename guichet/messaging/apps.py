import datetime as dt

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "guichet.messaging"
    label = "messaging"
    verbose_name = "Messagerie et e-mails"

    def ready(self):
        from guichet.core import scheduler
        from guichet.messaging.tasks import (
            purge_expired_messages_task,
            requeue_due_emails_task,
            send_payment_information_task,
        )

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
        # "Information de paiement": the payments of the last 7 days, without amounts.
        scheduler.register(
            name="send_payment_information",
            every=dt.timedelta(days=7),
            task=send_payment_information_task,
        )
        register_reference_tables()
        register_back_office()


def register_reference_tables() -> None:
    """The topics of "J'ai une question" and the reply templates are reference data."""
    from guichet.backoffice import referentials
    from guichet.messaging import services
    from guichet.messaging.forms import ReplyTemplateForm, TopicForm
    from guichet.messaging.models import ReplyTemplate, Topic

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
    referentials.register(
        referentials.ReferenceTable(
            slug="modeles-de-reponse",
            title="Modèles de réponse",
            description="Les réponses toutes prêtes que les agents adaptent avant de répondre "
            "aux questions des assurés. Elles sont communes à toutes les caisses.",
            rows=lambda fund: ReplyTemplate.objects.all(),
            columns=[("Ordre", "position"), ("Titre", "title"), ("Proposé", "active_display")],
            form=ReplyTemplateForm,
            update=lambda *, row, actor, **data: services.update_reply_template(
                template=row, actor=actor, **data
            ),
            field_labels={
                "title": "Titre",
                "body": "Texte",
                "position": "Ordre d'affichage",
                "active": "Proposé",
            },
        )
    )


def register_back_office() -> None:
    """The queue of members' questions and the "Messages" tab of the member's file."""
    from django.conf import settings
    from django.urls import reverse

    from guichet.backoffice import file_tabs
    from guichet.messaging import selectors, services
    from guichet.workqueues import kinds

    kinds.register(
        kinds.ItemKind(
            slug=services.MEMBER_QUESTION,
            title="Questions des assurés",
            sla=dt.timedelta(hours=settings.GUICHET_ANSWER_DELAY_HOURS),
            roles=frozenset({"adviser", "case_worker", "supervisor"}),
            description="Les assurés écrivent à leur caisse depuis « Ma messagerie » ; "
            "on leur a promis une réponse en moins de 48h.",
            item_url=lambda item: reverse(
                "backoffice:message_thread", args=[item.person_id, int(item.target_id)]
            ),
        )
    )
    file_tabs.register(
        file_tabs.FileTab(
            "messages",
            "Messages",
            90,
            "messaging/backoffice/tab.html",
            lambda context: {"threads": selectors.threads_of(person=context.person)},
        )
    )
