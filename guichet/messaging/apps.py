from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "guichet.messaging"
    label = "messaging"
    verbose_name = "Messagerie et e-mails"
