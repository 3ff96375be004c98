"""Login in a real browser (headless Debian Chromium through Playwright) against a live server.

Offline intranet: every request the browser makes goes to the platform's own host, and every
asset (Bootstrap, icons, fonts, htmx) is served by it. Playwright is never asked to download a
browser; the system Chromium is used.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, Response, expect, sync_playwright

from anjian.accounts.models import User
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`)")
    # Playwright's sync API keeps an asyncio loop in this thread, so Django would refuse database
    # calls here (SynchronousOnlyOperation). There is no concurrent use: allow it for the module.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """A fresh browser profile per test, as a Chinese-language desktop (or given viewport)."""
    contexts = []

    def make(width: int = 1280, height: int = 800) -> Page:
        context = browser.new_context(
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport={"width": width, "height": height},
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def _log_in(page: Page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_response(lambda response: response.request.method == "POST"):
        page.click("form button[type=submit]")
    page.wait_for_load_state()


def test_inspector_logs_in_with_nothing_loaded_from_other_hosts(
    live_server, make_user: Callable[..., User], open_page: Callable[..., Page]
) -> None:
    inspector = make_user("140603", ["inspector"], full_name="李检查")
    page = open_page()
    requested: list[str] = []
    failed: list[str] = []
    responses: list[Response] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("requestfailed", lambda request: failed.append(_failure(request)))
    page.on("response", lambda response: responses.append(response))

    page.goto(f"{live_server.url}/")

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    expect(page.locator("label[for=id_username]")).to_be_visible()
    expect(page.locator("label[for=id_password]")).to_be_visible()

    page.fill("#id_username", inspector.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()

    expect(page).to_have_url(f"{live_server.url}/home/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".aj-topbar")).to_contain_text("李检查")
    nav = page.locator(".aj-sidebar nav a.nav-link")
    expect(nav.first).to_be_visible()
    expect(nav.filter(has_text="首页")).to_have_attribute("href", "/home/")
    # An inspector is no administrator: the user-management entries are not offered.
    expect(nav.filter(has_text="用户")).to_have_count(0)
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    page.wait_for_load_state("networkidle")  # the fonts and scripts too

    own = urlsplit(live_server.url).netloc
    network = [url for url in requested if urlsplit(url).scheme not in ("data", "blob")]
    assert network, "the browser made no request at all"
    foreign = [url for url in network if urlsplit(url).netloc != own]
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not failed, f"requests that failed: {failed}"

    statics = [urlsplit(r.url).path for r in responses if "/static/" in r.url]
    for needed in ("bootstrap.min.css", "bootstrap-icons.min.css", "htmx.min.js", ".woff2"):
        assert any(needed in path for path in statics), f"{needed} not loaded: {statics}"
    # Everything answered (the browser's own guess at /favicon.ico aside: the pages name none).
    errors = [
        f"{r.status} {r.url}"
        for r in responses
        if r.status >= 400 and urlsplit(r.url).path != "/favicon.ico"
    ]
    assert not errors, f"error responses: {errors}"


def _failure(request: Request) -> str:
    return f"{request.url} ({request.failure})"


def test_five_wrong_passwords_lock_the_account(
    live_server, make_user: Callable[..., User], open_page: Callable[..., Page]
) -> None:
    inspector = make_user("140603", ["inspector"])
    page = open_page()

    for attempt in range(1, 5):
        _log_in(page, live_server.url, inspector.username, "Wrong-Pass-2026")
        expect(page.locator("#id_password"), f"attempt {attempt}").to_be_visible()
        expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
        expect(page.get_by_role("heading", name="账户已锁定")).to_have_count(0)

    # The fifth failure locks the account, and says so.
    _log_in(page, live_server.url, inspector.username, "Wrong-Pass-2026")
    expect(page.get_by_role("heading", name="账户已锁定")).to_be_visible()
    expect(page.locator("body")).to_contain_text("锁定")
    expect(page.locator("#id_password")).to_have_count(0)

    # Now even the right password is refused.
    _log_in(page, live_server.url, inspector.username, TEST_PASSWORD)
    expect(page.get_by_role("heading", name="账户已锁定")).to_be_visible()
    assert urlsplit(page.url).path != "/home/"
    page.goto(f"{live_server.url}/home/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_login_page_fits_a_phone(live_server, open_page: Callable[..., Page]) -> None:
    page = open_page(width=390, height=844)
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("button", name="登录")).to_be_visible()
    page.wait_for_load_state("networkidle")

    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 390, f"horizontal scroll on a 390 px phone: {scroll_width} px wide"
    button = page.get_by_role("button", name="登录").bounding_box()
    assert button is not None and button["x"] >= 0 and button["x"] + button["width"] <= 390
