"""The automatic response, server to server: posted to the merchant until it answers 200, with
an exponential backoff between attempts (1 s, 2 s, 4 s… up to a ceiling), then given up after a
number of attempts — the merchant's reconciliation asks the kiosk about what never arrived.
"""

import logging
import threading
import time
from collections.abc import Callable
from urllib.parse import parse_qsl

import httpx

from sandboxes.kiosk.store import Store

logger = logging.getLogger(__name__)


class Deliverer:
    def __init__(
        self, store: Store, *, first_delay: float, max_delay: float, give_up_after: int,
        post: Callable = httpx.post, timeout: float = 5.0,
    ):  # fmt: skip
        self.store = store
        self.first_delay, self.max_delay, self.give_up_after = first_delay, max_delay, give_up_after
        self.post, self.timeout = post, timeout
        self.wake = threading.Event()

    def backoff(self, attempts: int) -> float:
        """The wait after the `attempts`-th failed attempt."""
        return min(self.first_delay * 2 ** (attempts - 1), self.max_delay)

    def deliver_due(self, *, now: float | None = None) -> int:
        """One pass over the outbox; returns how many responses the merchant took."""
        now = time.time() if now is None else now
        taken = 0
        for row in self.store.due_deliveries(now=now, give_up_after=self.give_up_after):
            try:
                response = self.post(
                    row["url"], data=dict(parse_qsl(row["body"])), timeout=self.timeout
                )
                ok, error = response.status_code == 200, f"HTTP {response.status_code}"
            except httpx.HTTPError as failure:
                ok, error = False, f"{type(failure).__name__}: {failure}"
            if ok:
                self.store.delivered(row["token"], at=time.time())
                taken += 1
            else:
                retry_at = now + self.backoff(row["attempts"] + 1)
                self.store.failed(row["token"], retry_at=retry_at, error=error)
                logger.warning("automatic response not taken", extra={"error": error})
        return taken

    def run_forever(self, *, tick: Callable[[], object] = lambda: None) -> None:
        while True:
            try:
                tick()
                self.deliver_due()
            except Exception:  # the thread must outlive a bad pass
                logger.exception("kiosk delivery pass failed")
            self.wake.wait(0.5)
            self.wake.clear()

    def start(self, *, tick: Callable[[], object] = lambda: None) -> threading.Thread:
        thread = threading.Thread(
            target=self.run_forever, kwargs={"tick": tick}, name="kiosk-delivery", daemon=True
        )
        thread.start()
        return thread
