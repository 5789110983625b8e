"""`python -m bench.scale`: member pages under load at 10 000 and 1 000 000 members.

Loads synthetic members with about 30 payments a year each straight into PostgreSQL with COPY
(secondary indexes and foreign-key triggers off during the load, rebuilt after), then serves
Guichet with gunicorn and measures with wrk, against a bare Django view served by the same
server in the same run: the home page, "Mes paiements", a payment's detail and a monthly
statement (PDF). See docs/performance.md for the figures and how long each step takes.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from bench import database
from bench.report import duration, table, title, whole

ROOT = Path(__file__).resolve().parent.parent
PORT = 8540
SESSIONS = 64  # distinct members signed in, cycled through by wrk
PAYMENTS_PER_YEAR = 30
GROWTH_ALERT = 1.5
WRK_LUA = """
local cookies = {%(cookies)s}
local details = {%(details)s}
local path = "%(path)s"
local n = 0
request = function()
  n = n + 1
  local i = (n %% #cookies) + 1
  local p = path:gsub("{detail}", details[i])
  return wrk.format("GET", p, {["Cookie"] = "guichet_session=" .. cookies[i]})
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%d %%.1f %%.1f %%.1f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    summary.duration, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="python -m bench.scale", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/guichet_bench"
    )
    parser.add_argument(
        "--steps", default="10000,1000000", help="Member counts to measure at, growing."
    )
    parser.add_argument(
        "--months", type=int, default=12, help="Months of payments loaded per member."
    )
    parser.add_argument("--duration", type=int, default=20, help="Seconds of wrk per page.")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--keep", action="store_true", help="Keep the database at the end.")
    args = parser.parse_args(argv)
    args.steps = [int(step) for step in args.steps.split(",")]
    if shutil.which("wrk") is None:
        parser.error("wrk is missing: apt-get install wrk")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    started = time.perf_counter()
    config = database._create_postgres_database(args.database_url)
    try:
        database._configure_django(
            url=args.database_url, var_dir=tempfile.mkdtemp(prefix="guichet-scale-")
        )
        database._migrate()
        loader = Loader(months=args.months)
        results = {}
        for members in args.steps:
            step_started = time.perf_counter()
            loader.grow_to(members)
            print(f"{whole(members)} members loaded ({loader.payments_written:,} payments) "
                  f"in {duration(time.perf_counter() - step_started)}; database "
                  f"{loader.database_size()}", flush=True)  # fmt: skip
            results[members] = measure(args, loader)
        report(args, results)
    finally:
        database._close_connections()
        if not args.keep:
            database._drop_postgres_database(config)
    print(f"\nWhole run: {duration(time.perf_counter() - started)}.")
    return 0


# --- loading -------------------------------------------------------------------------------------
class Loader:
    """Members, families and payments written by COPY, in the columns the models define."""

    def __init__(self, *, months: int):
        from guichet.insured import services as insured_services

        self.months = months
        self.rng = random.Random(2026)
        self.fund = insured_services.register_fund(
            code="019991000", name="CPAM de charge (bench)", phone="3646"
        )
        self.members = 0
        self.payments_written = 0
        self.today = dt.date.today()

    def database_size(self) -> str:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            return cursor.fetchone()[0]

    def grow_to(self, members: int) -> None:
        from django.db import connection

        count = members - self.members
        if count <= 0:
            return
        with connection.cursor() as cursor, _bulk_mode(cursor, big=count > 100_000):
            for start in range(self.members, members, 50_000):
                self._batch(start, min(start + 50_000, members))
        # Both steps measured alike: statistics fresh, visibility map and hint bits set, so that
        # neither the first reads nor autovacuum work during the measurement (VACUUM outside a
        # transaction: Django's connection is in autocommit here).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")
        self.members = members

    def _batch(self, first: int, last: int) -> None:
        from django.db import connection, transaction

        from guichet.insured.models import Dependent, InsuredPerson
        from guichet.payments.feeds.writer import insert_rows, reserve_ids
        from guichet.payments.models import Copayment, Payment, PaymentLine

        rng, today = self.rng, self.today
        person_columns = [f for f in InsuredPerson._meta.concrete_fields]
        template = {f.column: f.get_db_prep_save(f.pre_save(_blank_person(self.fund), add=True), connection)
                    for f in person_columns}  # fmt: skip
        persons, links, families = [], [], []
        with transaction.atomic():
            ids = iter(reserve_ids(InsuredPerson._meta.db_table, (last - first) * 3))
            for serial in range(first, last):
                holder_id = next(ids)
                birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(19_000))
                persons.append(_person_row(template, person_columns, holder_id, serial * 4, birth,
                                           f"m{serial}@example.org"))  # fmt: skip
                family = [holder_id]
                for child in range(rng.choice([0, 0, 1, 2, 3])):
                    child_id = next(ids)
                    child_birth = today - dt.timedelta(days=rng.randrange(1, 17 * 365))
                    persons.append(_person_row(template, person_columns, child_id, serial * 4 + 1 + child,
                                               child_birth, ""))  # fmt: skip
                    links.append((holder_id, child_id, "child", child_birth, None))
                    family.append(child_id)
                families.append(family)
            insert_rows(InsuredPerson._meta.db_table, [f.column for f in person_columns], persons)
            insert_rows(Dependent._meta.db_table, ["holder_id", "person_id", "relationship", "attached_on",
                                                   "detached_on"], links)  # fmt: skip
            per_member = round(PAYMENTS_PER_YEAR * self.months / 12)
            total = per_member * len(families)
            payment_ids = iter(reserve_ids(Payment._meta.db_table, total))
            line_ids = iter(reserve_ids(PaymentLine._meta.db_table, total))
            copayment_ids = iter(reserve_ids(Copayment._meta.db_table, total))
            payments, lines, copayments = [], [], []
            window = self.months * 30
            for family in families:
                member = family[0]
                days = sorted(rng.randrange(window) for _ in range(per_member))
                previous = None
                for k, ago in enumerate(reversed(days)):
                    paid_on = today - dt.timedelta(days=ago)
                    pid, lid = next(payment_ids), next(line_ids)
                    third = rng.random() < 0.55
                    base = Decimal(rng.randrange(300, 6000)) / 100
                    reimbursed = (base * Decimal("0.7")).quantize(Decimal("0.01"))
                    copay = not third and reimbursed > 2
                    deducted = Decimal("2.00") if copay else Decimal("0.00")
                    beneficiary = rng.choice(family)
                    payments.append((pid, f"B{member}-{k}", member, beneficiary,
                                     "third_party" if third else "care", paid_on, reimbursed, deducted,
                                     reimbursed - deducted, "professional" if third else "member",
                                     "PHARMACIE DU CENTRE" if third else "",
                                     "sent" if rng.random() < 0.9 else "to_forward", "MUTUELLE", None, ""))  # fmt: skip
                    care_date = paid_on - dt.timedelta(days=5)
                    lines.append((lid, pid, 1, care_date, None, "pharmacy" if third else "gp",
                                  "PH7" if third else "G", "Médicaments" if third else "Consultation",
                                  "DR MARTIN SOPHIE", 1, base, base, Decimal(70), reimbursed))  # fmt: skip
                    if copay:
                        copayments.append((next(copayment_ids), f"B{member}-C{k}", member, beneficiary, lid,
                                           care_date, "flat_fee", Decimal("2.00"), Decimal("2.00"),
                                           "deducted", pid, paid_on))  # fmt: skip
                    elif previous is not None and rng.random() < 0.5:
                        copayments.append((next(copayment_ids), f"B{member}-C{k}", member, beneficiary, lid,
                                           care_date, "deductible_medicine", Decimal("1.00"), Decimal("1.00"),
                                           "deferred", None, None))  # fmt: skip
                    previous = pid
            from guichet.payments.feeds.payments import (
                COPAYMENT_COLUMNS,
                LINE_COLUMNS,
                PAYMENT_COLUMNS,
            )

            insert_rows(Payment._meta.db_table, PAYMENT_COLUMNS, payments)
            insert_rows(PaymentLine._meta.db_table, LINE_COLUMNS, lines)
            insert_rows(Copayment._meta.db_table, COPAYMENT_COLUMNS, copayments)
            self.payments_written += len(payments)


def _blank_person(fund):
    from guichet.insured.models import InsuredPerson

    return InsuredPerson(fund=fund, nir="1000000000000", nir_key="00", sex="M", birth_date=dt.date(1980, 1, 1),
                         birth_name="BENCH", first_names="Camille", rights_opened_on=dt.date(2000, 1, 1))  # fmt: skip


def _person_row(template, columns, pk, serial, birth, email):
    from guichet.insured.synthetic import make_nir

    nir15 = make_nir(sex="M" if serial % 2 else "F", birth_date=birth, serial=serial)
    values = dict(template, id=pk, nir=nir15[:13], nir_key=nir15[13:], sex="M" if serial % 2 else "F",
                  birth_date=birth, email=email, rights_opened_on=birth)  # fmt: skip
    return tuple(values[f.column] for f in columns)


@contextmanager
def _bulk_mode(cursor, *, big: bool):
    """For a big load: foreign-key triggers off and secondary indexes dropped, rebuilt after."""
    if not big:
        yield
        return
    tables = ["insured_insuredperson", "insured_dependent", "payments_payment", "payments_paymentline",
              "payments_copayment"]  # fmt: skip
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes i WHERE tablename = ANY(%s) AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [tables],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    cursor.execute("SET session_replication_role = replica")
    try:
        yield
    finally:
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for _, definition in indexes:
            cursor.execute(definition)


# --- measuring -----------------------------------------------------------------------------------
WARM_UP = 10  # seconds of wrk on each page before its measured run
PAGES = [
    ("bare Django view (baseline)", "/bench/nu/"),
    ("home page", "/"),
    ("Mes paiements", "/mes-paiements/"),
    ("payment detail", "/mes-paiements/paiement/{detail}/"),
    (
        "monthly statement (PDF)",
        f"/mes-paiements/releves-mensuels/{dt.date.today():%Y}/{dt.date.today().month}/",
    ),
]


def measure(args, loader) -> dict:
    cookies, details = _sessions(loader)
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.settings", GUICHET_DEMO="1", LOG_LEVEL="WARNING",
               DATABASE_POOL_MAX_SIZE=str(args.threads + 1))  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers",
         str(args.workers), "--threads", str(args.threads), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        _wait_for(f"http://127.0.0.1:{PORT}/bench/nu/")
        figures = {}
        for label, path in PAGES:
            script = Path(tempfile.mkstemp(suffix=".lua")[1])
            script.write_text(WRK_LUA % {"cookies": ", ".join(f'"{c}"' for c in cookies),
                                         "details": ", ".join(f'"{d}"' for d in details), "path": path})  # fmt: skip
            _wrk(args, script, duration=WARM_UP)  # caches and gunicorn's workers warm
            output = _wrk(args, script, duration=args.duration)
            script.unlink()
            match = re.search(r"RESULT (\d+) (\d+) ([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)", output)
            requests, errors, micros, p50, p95, p99 = match.groups()
            figures[label] = {"rps": int(requests) / (float(micros) / 1e6), "errors": int(errors),
                              "p50": float(p50) / 1000, "p95": float(p95) / 1000, "p99": float(p99) / 1000}  # fmt: skip
            print(f"  {label}: {figures[label]['rps']:.1f} req/s, p50 {figures[label]['p50']:.1f} ms, "
                  f"p95 {figures[label]['p95']:.1f} ms, errors {errors}", flush=True)  # fmt: skip
        return figures
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def _wrk(args, script: Path, duration: int) -> str:
    command = ["wrk", "-t2", f"-c{args.connections}", f"-d{duration}s", "--timeout", "10s", "-s", str(script),
               f"http://127.0.0.1:{PORT}/"]  # fmt: skip
    return subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout


def _wait_for(url: str) -> None:
    import urllib.request

    for _ in range(100):
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer at {url}")


def _sessions(loader) -> tuple[list[str], list[str]]:
    """Session cookies of SESSIONS members spread over the table, and one payment id each."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from guichet.identity.models import Account
    from guichet.identity.synthetic import bulk_open_accounts
    from guichet.payments.models import Payment

    holders = _spread_holders(loader, max(1, loader.members // SESSIONS))
    bulk_open_accounts(persons=[h for h in holders if not Account.objects.filter(insured_person=h).exists()],
                       code="bench")  # fmt: skip
    cookies, details = [], []
    for holder in holders:
        account = Account.objects.get(insured_person=holder)
        session = SessionStore()
        session[SESSION_KEY] = str(account.pk)
        session[BACKEND_SESSION_KEY] = "guichet.identity.backends.AccountBackend"
        session[HASH_SESSION_KEY] = account.get_session_auth_hash()
        session["last_seen"] = int(time.time()) + 3600  # never idle, never rewritten
        session.create()
        cookies.append(session.session_key)
        details.append(
            str(
                Payment.objects.filter(member=holder)
                .order_by("-paid_on")
                .values_list("pk", flat=True)[0]
            )
        )
    return cookies, details


def _spread_holders(loader, step):
    from guichet.insured.models import InsuredPerson

    emails = [f"m{serial}@example.org" for serial in range(0, loader.members, step)][:SESSIONS]
    return list(InsuredPerson.objects.filter(email__in=emails))


def report(args, results: dict) -> None:
    print(title("Member pages under load: wrk against gunicorn, ratios to a bare Django view"))
    print(f"gunicorn {args.workers} workers × {args.threads} threads, wrk 2 threads × {args.connections} "
          f"connections, {args.duration} s a page, {SESSIONS} members signed in in turn.\n")  # fmt: skip
    rows = []
    for members, figures in results.items():
        bare = figures[PAGES[0][0]]
        for label, _ in PAGES:
            f = figures[label]
            rows.append([label, whole(members), f"{f['rps']:.1f}", f"{f['p50']:.1f}", f"{f['p95']:.1f}",
                         f"{bare['rps'] / f['rps']:.2f}", f"{f['p50'] / bare['p50']:.2f}", str(f["errors"])])  # fmt: skip
    print(
        table(
            ["page", "members", "req/s", "p50 ms", "p95 ms", "cost ratio", "p50 ratio", "errors"],
            rows,
        )
    )
    steps = list(results)
    if len(steps) >= 2:
        small, large = results[steps[0]], results[steps[-1]]
        print(
            f"\nFrom {whole(steps[0])} to {whole(steps[-1])} members (p50 and p95, each page against itself):"
        )
        for label, _ in PAGES[1:]:
            growth50 = large[label]["p50"] / small[label]["p50"]
            growth95 = large[label]["p95"] / small[label]["p95"]
            verdict = "" if max(growth50, growth95) < GROWTH_ALERT else "  ← beyond 1.5×"
            print(f"  {label:<26} p50 × {growth50:.2f}, p95 × {growth95:.2f}{verdict}")
    print(json.dumps({str(k): v for k, v in results.items()}))


if __name__ == "__main__":
    sys.exit(main())
