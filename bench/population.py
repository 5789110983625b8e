"""Synthetic population throughput: generate_members' path against a raw executemany INSERT.

`populate` does what `manage.py generate_members` does (same batch, seed, share of accounts),
timing each step; `raw_insert` writes the very same person rows with one executemany per batch
through the same connection: what these rows cost without generating them and without the ORM
(on PostgreSQL a slower floor, since executemany sends one INSERT per row; see README.md).
"""

import gc
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from guichet.demo.population import DEMO_CODE
from guichet.identity.synthetic import bulk_open_accounts
from guichet.insured import services as insured_services
from guichet.insured.models import Fund, InsuredPerson
from guichet.insured.synthetic import SyntheticPerson, _person, bulk_register, generate_families

# generate_members' defaults and fund
BATCH = 2000
SEED = 2026
ACCOUNT_SHARE = 0.6
FUND = {"code": "019991000", "name": "CPAM de démonstration (synthétique)", "phone": "3646"}


@dataclass
class Run:
    """What one write of `members` assurés took; `steps` splits `seconds` where it was measured."""

    members: int
    persons: int
    accounts: int
    seconds: float
    batches: list[tuple[int, float]] = field(default_factory=list)  # (assurés, seconds)
    steps: dict[str, float] = field(default_factory=dict)

    @property
    def members_per_second(self) -> float:
        return self.members / self.seconds

    @property
    def slowest_batch_rate(self) -> float:
        """Assurés per second of the slowest batch: as tables and indexes grow, inserts slow."""
        return min(members / seconds for members, seconds in self.batches)


def synthetic_fund() -> Fund:
    return insured_services.register_fund(**FUND)


def populate(*, fund: Fund, count: int) -> Run:
    """generate_members' loop, with each of its steps timed."""
    password_hash = make_password(DEMO_CODE)
    first_serial = InsuredPerson.objects.count() + 1
    families = generate_families(count=count, seed=SEED, first_serial=first_serial)
    steps = dict.fromkeys(["generate_families", "bulk_register", "bulk_open_accounts"], 0.0)
    run = Run(members=0, persons=0, accounts=0, seconds=0.0, steps=steps)
    gc.collect()
    while run.members < count:
        batch_started = time.perf_counter()
        chunk = [next(families) for _ in range(min(BATCH, count - run.members))]
        generated = time.perf_counter()
        with transaction.atomic():
            holders = bulk_register(fund=fund, families=chunk)
            registered = time.perf_counter()
            with_account = holders[: round(len(holders) * ACCOUNT_SHARE)]
            bulk_open_accounts(persons=with_account, code=DEMO_CODE, password_hash=password_hash)
            opened = time.perf_counter()
        finished = time.perf_counter()
        steps["generate_families"] += generated - batch_started
        steps["bulk_register"] += registered - generated
        steps["bulk_open_accounts"] += opened - registered
        run.batches.append((len(chunk), finished - batch_started))
        run.members += len(chunk)
        run.persons += sum(1 + len(family.dependents) for family in chunk)
        run.accounts += len(with_account)
    run.seconds = sum(seconds for _, seconds in run.batches)
    steps["commits"] = run.seconds - sum(steps.values())
    return run


def raw_insert(*, fund: Fund, count: int) -> Run:
    """The rows `populate(count=count)` would write next, by executemany; removed afterwards."""
    first_serial = InsuredPerson.objects.count() + 1
    families = list(generate_families(count=count, seed=SEED, first_serial=first_serial))
    columns = [f for f in InsuredPerson._meta.concrete_fields if not f.primary_key]
    batches = [
        (len(chunk), list(_rows(fund, chunk, columns)))
        for chunk in (families[start : start + BATCH] for start in range(0, count, BATCH))
    ]
    quote = connection.ops.quote_name
    statement = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(InsuredPerson._meta.db_table),
        ", ".join(quote(column.column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    last_pk = InsuredPerson.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    run = Run(members=count, persons=sum(len(rows) for _, rows in batches), accounts=0, seconds=0)
    gc.collect()
    for members, rows in batches:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(statement, rows)
        run.batches.append((members, time.perf_counter() - started))
    run.seconds = sum(seconds for _, seconds in run.batches)
    _remove_persons_after(last_pk)
    return run


def _rows(fund: Fund, families: list[SyntheticPerson], columns) -> Iterator[tuple]:
    """Each person as the ORM would send it: the same values, already adapted to the database."""
    for family in families:
        for data in [family.fields, *(child.fields for child in family.dependents)]:
            person = _person(fund, data)
            yield tuple(
                column.get_db_prep_save(column.pre_save(person, add=True), connection)
                for column in columns
            )


def _remove_persons_after(last_pk: int) -> None:
    table = connection.ops.quote_name(InsuredPerson._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id > %s", [last_pk])
        if connection.vendor == "postgresql":  # leave no dead rows for the next run to step over
            cursor.execute(f"VACUUM ANALYZE {table}")
