from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "guichet.documents"
    label = "documents"
    verbose_name = "Attestations et leur vérification"

    def ready(self) -> None:
        from guichet.documents import signing

        signing.check_configuration()  # a bad key stops the start, not the first document
