import signal
import threading

from django.core.management.base import BaseCommand

from guichet.core import scheduler


class Command(BaseCommand):
    help = "Enqueue the periodic jobs when their time comes (run one or more next to the workers)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval", type=float, default=30, help="Seconds between two looks (default 30)."
        )
        parser.add_argument(
            "--once", action="store_true", help="Look once and stop (for cron or tests)."
        )

    def handle(self, *args, interval: float, once: bool, **options):
        stop = threading.Event()
        if not once:
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, lambda *_: stop.set())
            self.stdout.write(
                f"Scheduler started: {', '.join(sorted(scheduler.JOBS))}, every {interval:g} s"
            )
        while True:
            scheduler.enqueue_due_jobs()  # logs what it enqueues
            if once or stop.wait(interval):
                return
