import datetime as dt

from django.apps import AppConfig


class ComplementaryConfig(AppConfig):
    name = "guichet.complementary"
    label = "complementary"
    verbose_name = "Complémentaires santé"

    def ready(self):
        from pathlib import Path

        from guichet.complementary.feeds.contracts import ContractsFeed
        from guichet.complementary.tasks import detect_overlaps_task, process_due_requests_task
        from guichet.core import scheduler
        from guichet.payments import feeds

        feeds.register(
            name="contracts", handler=ContractsFeed, schemas=Path(__file__).parent / "feeds"
        )
        # The nightly look for overlaps the imports did not see (a contract that became active).
        scheduler.register(
            name="detect_complementary_overlaps",
            every=dt.timedelta(days=1),
            task=detect_overlaps_task,
        )
        # Choices not processed by a gestionnaire are processed after the configured delay.
        scheduler.register(
            name="process_complementary_choices",
            every=dt.timedelta(hours=1),
            task=process_due_requests_task,
        )
        register_back_office()
        register_reference_table()


def register_reference_table() -> None:
    """The insurers' names, as members read them, are reference data a superviseur corrects."""
    from guichet.backoffice import referentials
    from guichet.complementary import services
    from guichet.complementary.forms import InsurerForm
    from guichet.complementary.models import Insurer

    referentials.register(
        referentials.ReferenceTable(
            slug="organismes-complementaires",
            title="Organismes complémentaires",
            description="Les organismes complémentaires connus par les contrats reçus des "
            "systèmes de la caisse. Leur nom est celui que lisent les assurés.",
            rows=lambda fund: Insurer.objects.all(),
            columns=[("Numéro", "number"), ("Nom", "name")],
            form=InsurerForm,
            update=lambda *, row, actor, **data: services.update_insurer(
                insurer=row, actor=actor, **data
            ),
            field_labels={"name": "Nom"},
        )
    )


def register_back_office() -> None:
    from django.urls import reverse

    from guichet.backoffice import file_tabs
    from guichet.complementary import selectors
    from guichet.complementary.enums import CHOICE_TO_PROCESS, OVERLAP_FOR_FUND
    from guichet.workqueues import kinds

    kinds.register(
        kinds.ItemKind(
            slug=CHOICE_TO_PROCESS,
            title="Choix de complémentaire à traiter",
            sla=dt.timedelta(days=7),
            roles=frozenset({"case_worker", "supervisor"}),
            description="Des assurés ont choisi, en ligne, la complémentaire qui reçoit leurs "
            "remboursements ; la demande est traitée sous 7 jours.",
            item_url=lambda item: reverse(
                "backoffice:complementary_request", args=[int(item.target_id)]
            ),
        )
    )
    kinds.register(
        kinds.ItemKind(
            slug=OVERLAP_FOR_FUND,
            title="Chevauchements de complémentaires à régler",
            sla=dt.timedelta(days=7),
            roles=frozenset({"adviser", "case_worker", "supervisor"}),
            description="Le choix en ligne n'est pas proposé à ces assurés (Complémentaire santé "
            "solidaire, 5 bénéficiaires ou plus, régime partenaire) : la caisse les contacte.",
            item_url=lambda item: reverse(
                "backoffice:member_file_tab", args=[item.person_id, "complementaire"]
            ),
        )
    )
    file_tabs.register(
        file_tabs.FileTab(
            "complementaire",
            "Complémentaire",
            35,
            "complementary/backoffice/tab.html",
            lambda context: selectors.file_of(person=context.person),
        )
    )
