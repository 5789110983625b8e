from django.core.management.base import BaseCommand
from django.db import transaction

from guichet.demo import population


class Command(BaseCommand):
    help = "Load the demo population (the seeds' people); does nothing if it is already there."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove the demo persons first, then load them again.",
        )

    def handle(self, *args, reset: bool = False, **options):
        with transaction.atomic():
            if reset:
                removed = population.remove()
                self.stdout.write(f"Demo population removed ({removed} persons).")
            if population.is_loaded():
                # A demo loaded before the back office existed gets its agents now.
                agents = population.ensure_agents()
                self.stdout.write(f"Demo population already loaded ({agents} agents added).")
                return
            count = population.load()
        self.stdout.write(self.style.SUCCESS(f"Demo population loaded: {count} persons."))
