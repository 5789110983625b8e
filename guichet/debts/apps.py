import datetime as dt

from django.apps import AppConfig


class DebtsConfig(AppConfig):
    name = "guichet.debts"
    label = "debts"
    verbose_name = "Créances"

    def ready(self):
        from django.conf import settings

        from guichet.backoffice import file_tabs
        from guichet.core import scheduler
        from guichet.debts import services, tasks
        from guichet.debts.backoffice import creances_tab
        from guichet.debts.enums import DEBT_OVERPAYMENT, DEBT_PAYMENT_CHECK
        from guichet.payments.feeds.payments import CLAIMED_RECOVERY_HANDLERS
        from guichet.workqueues import kinds
        from guichet.workqueues.kinds import ItemKind

        scheduler.register(
            name="debts.issue_notices", every=dt.timedelta(days=1), task=tasks.issue_notices_task
        )
        scheduler.register(
            name="debts.post_payments",
            every=dt.timedelta(minutes=settings.GUICHET_DEBT_ACCOUNTING_EVERY_MINUTES),
            task=tasks.post_payments_task,
        )
        scheduler.register(
            name="debts.reconcile_payments",
            every=dt.timedelta(minutes=10),
            task=tasks.reconcile_payments_task,
        )
        kinds.register(
            ItemKind(
                slug=DEBT_PAYMENT_CHECK,
                title="Paiements de créances à vérifier",
                sla=dt.timedelta(hours=48),
                roles=frozenset({"accountant", "supervisor"}),
                description="Des réponses du kiosque de paiement ne correspondent pas à la "
                "transaction (montant, commerçant) : l'argent a pu être débité sans être imputé.",
                item_url=lambda item: _creances_url(item.person_id),
            )
        )
        kinds.register(
            ItemKind(
                slug=DEBT_OVERPAYMENT,
                title="Trop-perçus sur avis de sommes à payer",
                sla=dt.timedelta(days=5),
                roles=frozenset({"accountant", "supervisor"}),
                description="Une participation ou franchise payée sur un avis a aussi été "
                "récupérée sur un remboursement : le trop-perçu est à rembourser à l'assuré.",
                item_url=lambda item: _creances_url(item.person_id),
            )
        )
        file_tabs.register(creances_tab())
        if services.record_claimed_recoveries not in CLAIMED_RECOVERY_HANDLERS:
            CLAIMED_RECOVERY_HANDLERS.append(services.record_claimed_recoveries)


def _creances_url(person_id: int) -> str:
    from django.urls import reverse

    return reverse("backoffice:member_file_tab", args=[person_id, "creances"])
