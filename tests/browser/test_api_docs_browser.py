"""/api/docs renders its operations in a browser that can reach no other host (an intranet)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

pytestmark = pytest.mark.browser


def test_the_api_docs_render_with_other_hosts_unreachable(
    live_server, open_page: Callable[..., Page]
) -> None:
    own = urlsplit(live_server.url).netloc
    page = open_page()
    foreign: list[str] = []

    def only_own_host(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("http", "https") and urlsplit(url).netloc != own:
            foreign.append(url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", only_own_host)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(f"{live_server.url}/api/docs")

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("anjian API")
    operations = page.locator(".swagger-ui .opblock")
    expect(operations.first).to_be_visible()
    assert operations.count() > 10
    expect(page.locator(".swagger-ui .opblock-summary-path", has_text="/api/me")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    assert not foreign, f"requests to other hosts: {foreign}"
    assert not errors, f"script errors: {errors}"
