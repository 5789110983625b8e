from django.apps import AppConfig


class WorkqueuesConfig(AppConfig):
    name = "guichet.workqueues"
    label = "workqueues"
    verbose_name = "Files de travail"

    def ready(self):
        # The kinds that exist today; later apps register theirs from their own ready().
        from guichet.workqueues import kinds

        kinds.register_builtin_kinds()
