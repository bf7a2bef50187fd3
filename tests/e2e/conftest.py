"""Browser tests: Playwright (sync API) driving Debian's Chromium against ``live_server``.

Never ``playwright install``: the browser is ``/usr/bin/chromium`` (STACK-NOTES §7). Without it
the tests skip, or fail under ``SFA_REQUIRE_SERVICES=1`` (``make test``, CI).
Tests need ``@pytest.mark.django_db(transaction=True)``: the live server runs in another thread
and must see committed data. A failing test leaves a screenshot in ``test-results/e2e/``.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.conftest import skip_or_fail

CHROMIUM = os.environ.get("SFA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Pages Playwright answers itself count as public; they may frame the live server (web forms)
    "--disable-features=LocalNetworkAccessChecks",
]
ARTIFACTS = Path(os.environ.get("SFA_E2E_ARTIFACTS", "test-results/e2e"))
PASSWORD = "secret-pass-123"  # tests.factories.UserFactory's password
TIMEOUT_MS = 10_000
_CALL_REPORT = pytest.StashKey()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.stash[_CALL_REPORT] = report
    return report


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session (each test gets its own context)."""
    if shutil.which(CHROMIUM) is None:
        skip_or_fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        skip_or_fail("playwright is not installed")
    # Playwright's sync API keeps an asyncio loop in this thread for as long as it runs, which
    # makes Django's ORM refuse to work (SynchronousOnlyOperation). It stays safe: the loop
    # never runs our code concurrently. Kept for the session, because later tests in this
    # process run while the browser is still up; restored afterwards.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                yield chromium
            finally:
                chromium.close()


@pytest.fixture
def new_page(browser, request):
    """``new_page()`` → a fresh page in its own context (cookies), closed after the test.

    Several users in one test get one page each. Failed tests leave screenshots.
    """
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    report = request.node.stash.get(_CALL_REPORT, None)
    failed = report is not None and report.failed
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    for index, context in enumerate(contexts):
        if failed:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            for number, page in enumerate(context.pages):
                page.screenshot(path=ARTIFACTS / f"{name}-{index}-{number}.png", full_page=True)
        context.close()


@pytest.fixture
def log_in(live_server, new_page):
    """``log_in(user)`` → a page logged in through the real staff login form."""
    from playwright.sync_api import expect

    def do(user):
        page = new_page()
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", name=re.compile("Good day"))).to_be_visible()
        return page

    return do
