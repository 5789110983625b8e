from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo: its population from the seeds, synthetic members, and the demo mailbox."""

    name = "guichet.demo"
    label = "demo"
    verbose_name = "Démonstration"
