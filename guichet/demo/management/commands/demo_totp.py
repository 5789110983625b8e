import pyotp
from django.core.management.base import BaseCommand

from guichet.demo import population


class Command(BaseCommand):
    help = "Print the current 6-digit code of each demo agent's authenticator app."

    def handle(self, *args, **options):
        for agent in population.AGENTS:
            code = pyotp.TOTP(agent.totp_secret).now()
            self.stdout.write(f"  {code}  {agent.email}")
        self.stdout.write("Each code is valid about 30 seconds, and serves once.")
