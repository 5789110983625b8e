"""Member pages at scale: the test Client's time per page against /sante/'s, and SQL queries."""

import gc
import statistics
import time
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from guichet.identity.models import Account
from guichet.identity.synthetic import bulk_open_accounts
from guichet.insured.models import InsuredPerson

BASELINE = "/sante/"
MEMBER_PAGES = ["/", "/mes-informations/", "/mes-paiements/"]
WARM_UP = 20
DEPENDANTS = 4


@dataclass
class PageFigure:
    path: str
    queries: int
    best_ms: float
    median_ms: float
    p90_ms: float
    ratio: float  # the median, over the rounds, of this page's time over the baseline's


def member_with_dependants(count: int = DEPENDANTS) -> Account:
    """The first assuré with `count` attached ayants droit, given an account if they have none."""
    holder = (
        InsuredPerson.objects.annotate(
            attached=Count("dependents", filter=Q(dependents__detached_on__isnull=True)),
            has_account=Exists(Account.objects.filter(insured_person=OuterRef("pk"))),
        )
        .filter(attached=count)
        .order_by("-has_account", "pk")
        .first()
    )
    if holder is None:
        raise LookupError(f"No assuré with {count} ayants droit in the synthetic population.")
    if not Account.objects.filter(insured_person=holder).exists():
        bulk_open_accounts(persons=[holder], code="bench")
    return Account.objects.get(insured_person=holder)


def measure(*, account: Account, requests: int) -> list[PageFigure]:
    """Each page `requests` times, in rounds of one request each, so that load hits all alike."""
    anonymous, member = Client(), Client()
    member.force_login(account)
    clients = {BASELINE: anonymous} | dict.fromkeys(MEMBER_PAGES, member)
    for path, client in clients.items():
        for _ in range(WARM_UP):
            _get(client, path)
    queries = {path: _count_queries(client, path) for path, client in clients.items()}
    timings: dict[str, list[float]] = {path: [] for path in clients}
    gc.collect()
    for _ in range(requests):
        for path, client in clients.items():
            started = time.perf_counter()
            _get(client, path)
            timings[path].append((time.perf_counter() - started) * 1000)
    return [
        PageFigure(
            path=path,
            queries=queries[path],
            best_ms=min(timings[path]),
            median_ms=statistics.median(timings[path]),
            p90_ms=statistics.quantiles(timings[path], n=10)[-1],
            # Paired by round: a burst of load on the machine hits both sides of each ratio.
            ratio=statistics.median(
                page / baseline
                for page, baseline in zip(timings[path], timings[BASELINE], strict=True)
            ),
        )
        for path in clients
    ]


def _count_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        _get(client, path)
    return len(captured.captured_queries)


def _get(client: Client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} answered {response.status_code}, not 200.")
