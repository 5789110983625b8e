from django.core.management.base import BaseCommand, CommandError

from guichet.core.actors import Actor, ActorKind
from guichet.payments import services
from guichet.payments.models import FeedClient


class Command(BaseCommand):
    help = (
        "Give a system of the fund a new token for POST /flux/<feed>/ (printed once; only its "
        "SHA-256 is stored), or revoke it with --revoke."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The system's name, e.g. liquidation-ouest.")
        parser.add_argument("--revoke", action="store_true")

    def handle(self, *args, name: str, revoke: bool = False, **options):
        actor = Actor(ActorKind.SYSTEM, "create_feed_token")
        if revoke:
            client = FeedClient.objects.filter(name=name).first()
            if client is None:
                raise CommandError(f"No feed client named {name!r}.")
            services.revoke_feed_client(client=client, actor=actor)
            self.stdout.write(f"Token of {name} revoked.")
            return
        _, token = services.create_feed_client(name=name, actor=actor)
        self.stdout.write(token)
