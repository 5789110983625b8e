"""Start the sandbox as its own process on a free port, for the tests (as `make run` does)."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_sandbox(*, var_dir: Path, **settings: str) -> Iterator[str]:
    """The sandbox's base URL while it runs; `settings` are FC_SANDBOX_* values (without prefix)."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "FC_SANDBOX_PORT": str(port),
        "FC_SANDBOX_URL": url,
        "FC_SANDBOX_VAR_DIR": str(var_dir),
        **{f"FC_SANDBOX_{name.upper()}": value for name, value in settings.items()},
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [
        sys.executable, "-m", "gunicorn", "sandboxes.franceconnect.wsgi",
        "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603  (our own fixed command)
    try:
        _wait_until_up(f"{url}/api/v2/.well-known/openid-configuration", process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(url: str, process: subprocess.Popen, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the FranceConnect sandbox stopped at start (exit {process.returncode})"
            )
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.1)  # waiting for a condition: the sandbox's port to answer
    raise RuntimeError(f"the FranceConnect sandbox did not answer {url} within {limit} s")
