from django.conf import settings
from django.core.management.base import BaseCommand

from guichet.demo import population
from guichet.identity.enums import AgentRole

# What to try with the sandbox's test identities (sandboxes/franceconnect/identities.py).
FRANCECONNECT_TRIES = [
    ("Renaldo ZOVI", "logs in at once (no code, no e-mailed code)"),
    ("Sarah Émilie LAMBERT", "creates her account"),
    ("Youssef KARIMI", "is told why he cannot create one (AME)"),
    ("Jean NEAJE", "matches nobody: the way forward is explained"),
    ("Camille MARTIN", "matches two people: the way forward is explained"),
]


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
                "« S'identifier avec FranceConnect » (login and account creation pages) goes to the "
                f"FranceConnect sandbox ({settings.FC_DISCOVERY_URL.split('/api/')[0]}/): pick a "
                "test identity, no password."
            )
            for identity, outcome in FRANCECONNECT_TRIES:
                out(f"  {identity:<22} {outcome}")
        out("")
        out(
            f"Agents' space: {base}/agents/  (password of every demo agent: {population.AGENT_PASSWORD})"
        )
        for agent in population.AGENTS:
            role = AgentRole(agent.role).label
            out(f"  {agent.email:<34} {role:<13} TOTP secret {agent.totp_secret}")
        out("Add a secret to an authenticator app, or print the current codes with")
        out("  .venv/bin/python manage.py demo_totp")
        out("Stop with Ctrl+C.")
        out("")
