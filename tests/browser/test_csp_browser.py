"""The content security policy breaks nothing: key pages load in Chromium with no policy
violation and no script error, and the behaviours that used to be inline handlers still work
(docs/security.md, Transport and headers)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from anjian.accounts.models import User
from tests.browser.conftest import log_in
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser

PAGES = [
    "/home/",
    "/entities/",
    "/filings/missing/",
    "/portal/",
    "/portal/standards/",
    "/api/docs",
]


def _watch(page: Page) -> list[str]:
    problems: list[str] = []
    page.set_default_navigation_timeout(60_000)  # a loaded CI machine; the checks are below

    def console(message: ConsoleMessage) -> None:
        # A policy violation is logged as "Refused to … Content Security Policy …".
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            problems.append(f"{page.url}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    # A missing script or style would make "no violation" meaningless: the assets must load.
    page.on(
        "response",
        lambda r: (
            problems.append(f"{r.url}: {r.status}")
            if "/static/" in r.url and r.status >= 400
            else None
        ),
    )
    # Violations are also reported as DOM events, e.g. for an inline style element.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e =>"
        " console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return problems


def test_key_pages_load_with_no_policy_violation(
    live_server, make_user: Callable[..., User], open_page: Callable[..., Page]
) -> None:
    leader = make_user("140603", ["bureau_leader"], full_name="王局长")
    page = open_page()
    problems = _watch(page)
    log_in(page, live_server.url, leader.username, TEST_PASSWORD)
    for path in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
        page.wait_for_load_state("load")
        if path == "/api/docs":  # Swagger UI has fetched the schema and drawn it
            expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=30_000)
        page.wait_for_timeout(300)  # a late violation (a script's own) is reported too
    assert not problems, problems


def test_the_former_inline_handlers_work_on_a_phone(
    live_server, make_user: Callable[..., User], open_page: Callable[..., Page]
) -> None:
    inspector = make_user("140603", ["inspector"])
    page = open_page(width=390, height=844)
    problems = _watch(page)
    log_in(page, live_server.url, inspector.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/home/")
    sidebar = page.locator(".aj-sidebar")
    expect(sidebar).not_to_have_class("show")
    page.locator("[data-toggle-sidebar]").click()
    assert "show" in (sidebar.get_attribute("class") or "")
    # The language menu submits itself when changed (was onchange="this.form.submit()").
    with page.expect_navigation():
        page.locator("select[name=language][data-autosubmit]").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert not problems, problems
