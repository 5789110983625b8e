import datetime as dt

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "guichet.core"
    label = "core"
    verbose_name = "Noyau partagé"

    def ready(self):
        from guichet.core import scheduler
        from guichet.core.tasks import prune_task_results_task

        scheduler.register(
            name="prune_task_results", every=dt.timedelta(days=1), task=prune_task_results_task
        )
