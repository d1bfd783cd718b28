"""Browser tests: Playwright for Python driving Debian's chromium (no browser download).

Screenshots go to test-artifacts/ (QRMAP_ARTIFACTS overrides), one file per test step.
"""
import os
import shutil
from pathlib import Path
from urllib.parse import urlparse

import pytest

# Playwright's sync API runs an event loop in this thread; the tests still talk to the
# database directly to arrange data, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(os.environ.get("QRMAP_ARTIFACTS", Path(__file__).parents[2] / "test-artifacts"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


def _chromium_path():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("No chromium on PATH: run `make test`, which installs Debian's chromium.")


@pytest.fixture(scope="session")
def playwright_driver():
    """One Playwright per test process: its sync API cannot start a second one while the
    first runs, so a test that needs a browser launched its own way asks this one."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright_driver):
    browser = playwright_driver.chromium.launch(
        executable_path=_chromium_path(), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


class RequestLog:
    """Every request a page made, to prove pages stay on their own host."""

    def __init__(self):
        self.urls = []

    def hosts(self):
        return {urlparse(u).netloc for u in self.urls if urlparse(u).scheme in ("http", "https")}

    def foreign(self, own_host, allowed=()):
        return [
            u for u in self.urls
            if urlparse(u).scheme in ("http", "https")
            and urlparse(u).netloc != own_host
            and not any(a in u for a in allowed)
        ]


def _new_page(browser, width, height, locale="vi-VN"):
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    page = context.new_page()
    log = RequestLog()
    page.on("request", lambda request: log.urls.append(request.url))
    page.requests = log
    return context, page


@pytest.fixture
def phone_page(browser):
    """A 360×740 phone-sized page; `page.requests` logs every request it makes."""
    context, page = _new_page(browser, 360, 740)
    yield page
    context.close()


@pytest.fixture
def desktop_page(browser):
    """A 1366×768 office-screen page."""
    context, page = _new_page(browser, 1366, 768)
    yield page
    context.close()


@pytest.fixture
def page_factory(browser):
    """Make pages with another size or locale: page_factory(1366, 768, locale="en-US")."""
    contexts = []

    def make(width, height, locale="vi-VN"):
        context, page = _new_page(browser, width, height, locale)
        contexts.append(context)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def artifact(request):
    """artifact("name.png") -> a path under test-artifacts/<test name>/."""
    folder = ARTIFACTS / request.node.name.replace("/", "_").replace("[", "_").rstrip("]")
    folder.mkdir(parents=True, exist_ok=True)
    return lambda name: str(folder / name)
