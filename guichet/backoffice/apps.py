from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "guichet.backoffice"
    label = "backoffice"
    verbose_name = "Espace agents"

    def ready(self):
        from guichet.backoffice import file_tabs, referentials

        file_tabs.register_builtin_tabs()
        referentials.register_builtin_tables()
