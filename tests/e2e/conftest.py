"""Browser journeys: Debian's Chromium driven by Playwright against a live Guichet, every page
audited by axe-core (WCAG 2.1 A and AA, plus best practices)."""

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from guichet.demo import population
from sandboxes.franceconnect.testing import running_sandbox

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail(
            "Debian's chromium is missing: `make test` installs it (apt-get install chromium)."
        )
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe-core is injected as a script, which our strict CSP would (rightly) block.
    return {
        **browser_context_args,
        "bypass_csp": True,
        "locale": "fr-FR",
        "timezone_id": "Europe/Paris",
    }


@pytest.fixture
def demo(transactional_db):
    """The demo population, fresh for each journey."""
    population.load()
    return population


@pytest.fixture
def site(live_server, page: Page, demo):
    page.set_default_timeout(10_000)
    return Site(live_server.url, page)


class Site:
    """A member's browser on the live site, with the checks every journey makes."""

    def __init__(self, url: str, page: Page):
        self.url = url
        self.page = page

    def open(self, path: str) -> Page:
        self.page.goto(self.url + path)
        return self.page

    def check(self, title: str | re.Pattern) -> None:
        """The page has its title and a single h1, and axe-core finds no violation."""
        expect(self.page).to_have_title(title)
        expect(self.page.locator("h1")).to_have_count(1)
        assert_accessible(self.page)

    def put_off_overlap(self) -> None:
        """Renaldo ZOVI's family has seed 003's overlap: the dialog opens at login ("Plus tard")."""
        self.page.get_by_role("dialog").get_by_role("button", name="Plus tard").click()
        expect(self.page.get_by_role("dialog")).to_have_count(0)

    def mailbox_code(self, to: str) -> str:
        """The latest code e-mailed to `to`, read in the demo mailbox as a visitor would."""
        reader = self.page.context.new_page()
        reader.goto(self.url + "/demo/boite-mail/")
        assert_accessible(reader)
        with_code = re.compile(r"(?:code provisoire|code de sécurité) : (\d{4,6})")
        text = reader.get_by_role("article").filter(has_text=to).filter(has_text=with_code)
        text = text.first.inner_text()
        reader.close()
        return with_code.search(text).group(1)


def assert_accessible(page: Page) -> None:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    violations = [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["html"] for n in v["nodes"][:3]],
        }
        for v in result["violations"]
    ]
    assert not violations, f"{page.url}\n" + html.unescape(
        json.dumps(violations, indent=2, ensure_ascii=False)
    )


# --- The FranceConnect sandbox, a separate service, as `make run` starts it ----------------------

SANDBOX_CLIENT = ("guichet-journeys", "secret-des-parcours-de-test")


@pytest.fixture(scope="session")
def franceconnect_sandbox(live_server, tmp_path_factory):
    """The sandbox on a free port, knowing the live Guichet as its service provider."""
    with running_sandbox(
        var_dir=tmp_path_factory.mktemp("franceconnect-sandbox"),
        client_id=SANDBOX_CLIENT[0],
        client_secret=SANDBOX_CLIENT[1],
        redirect_uris=f"{live_server.url}/franceconnect/retour/",
        post_logout_redirect_uris=f"{live_server.url}/franceconnect/deconnexion/",
    ) as url:
        yield url


@pytest.fixture
def franceconnect(franceconnect_sandbox, settings, live_server):
    """Guichet configured for the sandbox, as its demo is for `make run`'s."""
    settings.FC_DISCOVERY_URL = f"{franceconnect_sandbox}/api/v2/.well-known/openid-configuration"
    settings.FC_CLIENT_ID, settings.FC_CLIENT_SECRET = SANDBOX_CLIENT
    settings.FC_REDIRECT_URI = f"{live_server.url}/franceconnect/retour/"
    settings.FC_POST_LOGOUT_REDIRECT_URI = f"{live_server.url}/franceconnect/deconnexion/"
    return franceconnect_sandbox
