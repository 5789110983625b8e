"""Start a sandbox as its own process on a free port, for the tests (as `make run` does)."""

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running(
    *, wsgi: str, prefix: str, health: str, name: str, var_dir: Path, settings: dict[str, str]
) -> Iterator[str]:
    """The base URL of `wsgi` under gunicorn while it runs; `settings` are `prefix`_* values."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        f"{prefix}_PORT": str(port),
        f"{prefix}_URL": url,
        f"{prefix}_VAR_DIR": str(var_dir),
        **{f"{prefix}_{key.upper()}": value for key, value in settings.items()},
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [
        sys.executable, "-m", "gunicorn", wsgi,
        "--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", "4", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603  (our own fixed command)
    try:
        _wait_until_up(url + health, process, name=name)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(url: str, process: subprocess.Popen, *, name: str, limit: float = 30.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} stopped at start (exit {process.returncode})")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1).status_code == 200:
                return
        time.sleep(0.1)  # waiting for a condition: the sandbox's port to answer
    raise RuntimeError(f"{name} did not answer {url} within {limit} s")
