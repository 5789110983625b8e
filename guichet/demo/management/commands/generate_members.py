import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from guichet.demo.population import DEMO_CODE
from guichet.identity.synthetic import bulk_open_accounts
from guichet.insured import services as insured_services
from guichet.insured.models import InsuredPerson
from guichet.insured.synthetic import bulk_register, generate_families
from guichet.payments.parameters import ParameterTable
from guichet.payments.synthetic import bulk_history


class Command(BaseCommand):
    help = "Add N synthetic members (valid NIRs, families, accounts with the demo code) to a synthetic fund."

    def add_arguments(self, parser):
        parser.add_argument(
            "count", type=int, help="How many assurés (their dependants come on top)."
        )
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--accounts", type=float, default=0.6, help="Share of assurés with an account (0 to 1)."
        )
        parser.add_argument(
            "--history-months",
            type=int,
            default=27,
            help="Months of payments liquidated for each family (0: none).",
        )

    def handle(
        self,
        *args,
        count: int,
        batch: int,
        seed: int,
        accounts: float,
        history_months: int,
        **options,
    ):
        if count < 1:
            raise CommandError("Give a number of members of at least 1.")
        if not 0 <= accounts <= 1:
            raise CommandError("--accounts is a share between 0 and 1.")
        fund = insured_services.register_fund(
            code="019991000", name="CPAM de démonstration (synthétique)", phone="3646"
        )
        password_hash = make_password(DEMO_CODE)
        first_serial = InsuredPerson.objects.count() + 1
        started, done, persons, payments = time.monotonic(), 0, 0, 0
        params = ParameterTable.load()
        families = generate_families(count=count, seed=seed, first_serial=first_serial)
        while done < count:
            chunk = [next(families) for _ in range(min(batch, count - done))]
            with transaction.atomic():
                holders = bulk_register(fund=fund, families=chunk)
                with_account = holders[: round(len(holders) * accounts)]
                bulk_open_accounts(
                    persons=with_account, code=DEMO_CODE, password_hash=password_hash
                )
                if history_months > 0:
                    payments += bulk_history(
                        families=chunk, months=history_months, seed=seed + done, params=params
                    )
            done += len(chunk)
            persons += sum(1 + len(family.dependents) for family in chunk)
            self.stdout.write(
                f"{done}/{count} assurés ({persons} persons, {payments} payments) "
                f"in {time.monotonic() - started:.1f} s"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {done} assurés, {persons} persons, {payments} payments, "
                f"{time.monotonic() - started:.1f} s."
            )
        )
