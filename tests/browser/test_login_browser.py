"""Login in a real browser (headless Debian Chromium through Playwright) against a live server.

Offline intranet: every request the browser makes goes to the platform's own host, and every
asset (Bootstrap, icons, fonts, htmx) is served by it. Playwright is never asked to download a
browser; the system Chromium is used.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, Response, expect

from anjian.accounts.models import User
from tests.browser.conftest import log_in
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


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
        log_in(page, live_server.url, inspector.username, "Wrong-Pass-2026")
        expect(page.locator("#id_password"), f"attempt {attempt}").to_be_visible()
        expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
        expect(page.get_by_role("heading", name="账户已锁定")).to_have_count(0)

    # The fifth failure locks the account, and says so.
    log_in(page, live_server.url, inspector.username, "Wrong-Pass-2026")
    expect(page.get_by_role("heading", name="账户已锁定")).to_be_visible()
    expect(page.locator("body")).to_contain_text("锁定")
    expect(page.locator("#id_password")).to_have_count(0)

    # Now even the right password is refused.
    log_in(page, live_server.url, inspector.username, TEST_PASSWORD)
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
