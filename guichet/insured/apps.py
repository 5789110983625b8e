from django.apps import AppConfig


class InsuredConfig(AppConfig):
    name = "guichet.insured"
    label = "insured"
    verbose_name = "Registre des assurés"
