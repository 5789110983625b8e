"""Start the kiosk as its own process on a free port, for the tests (as `make run` does)."""

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sandboxes.testing import running


@contextlib.contextmanager
def running_kiosk(*, var_dir: Path, **settings: str) -> Iterator[str]:
    """The kiosk's base URL while it runs; `settings` are KIOSK_SANDBOX_* values (no prefix)."""
    with running(
        wsgi="sandboxes.kiosk.wsgi",
        prefix="KIOSK_SANDBOX",
        health="/",
        name="the kiosk sandbox",
        var_dir=var_dir,
        settings=settings,
    ) as url:
        yield url
