"""Start the FranceConnect sandbox as its own process on a free port, for the tests."""

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sandboxes.testing import free_port, running

__all__ = ["free_port", "running_sandbox"]


@contextlib.contextmanager
def running_sandbox(*, var_dir: Path, **settings: str) -> Iterator[str]:
    """The sandbox's base URL while it runs; `settings` are FC_SANDBOX_* values (without prefix)."""
    with running(
        wsgi="sandboxes.franceconnect.wsgi",
        prefix="FC_SANDBOX",
        health="/api/v2/.well-known/openid-configuration",
        name="the FranceConnect sandbox",
        var_dir=var_dir,
        settings=settings,
    ) as url:
        yield url
