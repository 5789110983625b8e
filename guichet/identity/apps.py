import datetime as dt
import logging

from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "guichet.identity"
    label = "identity"
    verbose_name = "Identité et comptes"

    def ready(self):
        from guichet.core import scheduler
        from guichet.identity.tasks import (
            purge_stale_email_challenges_task,
            purge_stale_round_trips_task,
        )

        scheduler.register(
            name="purge_stale_email_challenges",
            every=dt.timedelta(days=1),
            task=purge_stale_email_challenges_task,
        )
        scheduler.register(
            name="purge_stale_franceconnect_states",
            every=dt.timedelta(days=1),
            task=purge_stale_round_trips_task,
        )

        # identity.services.complete_login stamps last_login itself, keeping the previous one for
        # "Dernière connexion le …"; Django's own receiver would overwrite it with a second query.
        from django.contrib.auth.models import update_last_login
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")

        from django.conf import settings

        if not settings.FC_DISCOVERY_URL:  # optional: say so once, without stopping anything
            logging.getLogger("guichet.identity.franceconnect").info(
                "FranceConnect is off: set FC_DISCOVERY_URL, FC_CLIENT_ID and FC_CLIENT_SECRET "
                "to offer it (docs/environment.md)"
            )
