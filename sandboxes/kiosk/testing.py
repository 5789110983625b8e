"""Start the kiosk as its own process on a free port, for the tests (as `make run` does)."""

import contextlib
import re
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


def csrf(page) -> str:
    """The CSRF token of a kiosk page's form."""
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def pay_on_card_page(
    client, card_page, *, number: str = "4100000000000100", authentication: str = "succes"
):
    """Type a card on the kiosk's card page, then answer 3-D Secure: the result page (httpx)."""
    authentication_page = client.post(
        str(card_page.url),
        data={"csrfmiddlewaretoken": csrf(card_page), "number": number, "month": "12", "year": "2030",
              "cvv": "123", "valider": ""},
        follow_redirects=True,
    )  # fmt: skip
    assert "Authentification 3-D Secure" in authentication_page.text
    return client.post(
        str(authentication_page.url),
        data={"csrfmiddlewaretoken": csrf(authentication_page), "resultat": authentication},
        follow_redirects=True,
    )
