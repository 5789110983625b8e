from django.conf import settings
from django.core.management.base import BaseCommand

from guichet.demo import population


class Command(BaseCommand):
    help = "Print the portal's address and the demo logins."

    def handle(self, *args, **options):
        base = settings.GUICHET_BASE_URL
        out = self.stdout.write
        out("")
        out(self.style.SUCCESS(f"Guichet is starting on {base}/"))
        out(f"Demo mailbox (the codes Guichet e-mails): {base}/demo/boite-mail/")
        out(f"Every demo member's personal code: {population.DEMO_CODE}")
        out("")
        for persona in population.PERSONAS:
            who = f"{persona.first_names} {persona.birth_name}"
            state = "account" if persona.account else "no account"
            note = f" — {persona.note}" if persona.note else ""
            out(f"  {persona.login}  {who:<22} ({state}){note}")
        out("")
        out(
            "A first login from a new browser asks for a 6-digit code: read it in the demo mailbox."
        )
        if settings.FC_DISCOVERY_URL:
            out(
                "« S'identifier avec FranceConnect » goes to the FranceConnect sandbox "
                f"({settings.FC_DISCOVERY_URL.split('/api/')[0]}/): pick a test identity, no password."
            )
        out("Stop with Ctrl+C.")
        out("")
