"""The entity search as an officer uses it: type two characters, the list follows (HTMX)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from anjian.accounts.models import User
from tests.browser.conftest import log_in
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


def test_typing_two_characters_narrows_the_list_without_a_reload(
    live_server,
    make_user: Callable[..., User],
    make_entity,
    open_page: Callable[..., Page],
) -> None:
    inspector = make_user("140603", ["inspector"])
    make_entity(name="山西焦煤集团平鲁煤业有限公司")
    make_entity(name="平鲁区鑫泰化工有限公司", industry="hazardous_chemicals")
    page = open_page(390, 844)  # a phone at a mine site
    log_in(page, live_server.url, inspector.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/entities/")
    rows = page.locator("#rows tbody tr")
    expect(rows).to_have_count(2)
    page.evaluate("window.__same_page = true")
    page.get_by_role("searchbox").fill("焦煤")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("山西焦煤集团平鲁煤业有限公司")
    assert "q=%E7%84%A6%E7%85%A4" in page.url  # the search is in the address: shareable
    assert page.evaluate("window.__same_page === true"), "the page reloaded"
    rows.first.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("山西焦煤集团平鲁煤业有限公司")
