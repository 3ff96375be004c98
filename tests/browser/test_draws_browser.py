"""A draw's run in a real browser: the step takes seconds at province scale, so the page says
it is working and a second click while waiting sends nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route, expect

from anjian.core.models import AuditEvent
from anjian.draws import services
from anjian.draws.models import Draw
from tests.browser.conftest import log_in
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def committed(city_draft):
    head = city_draft["head"]
    return head, services.draw_commit(actor=head, draw=city_draft["draw"])


def test_the_run_says_it_is_working_and_a_second_click_sends_nothing(
    live_server, committed, open_page: Callable[..., Page]
) -> None:
    head, draw = committed
    page = open_page()
    log_in(page, live_server.url, head.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/draws/{draw.pk}/")

    posts: list[str] = []
    held: list[Route] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    # The server's answer is held back, as a province-wide run keeps the officer waiting. The
    # answer goes to a frame, so that the page can be read while it waits (a page whose own
    # navigation is pending cannot be read from the test).
    page.route(f"**/draws/{draw.pk}/step/", lambda route: held.append(route))
    page.evaluate(
        """() => {
            const frame = document.createElement("iframe");
            frame.name = "answer";
            document.body.append(frame);
            document.querySelector("form[data-busy]").target = "answer";
        }"""
    )
    page.once("dialog", lambda dialog: dialog.accept())  # "a draw runs once": yes
    page.get_by_role("button", name="揭示并抽取").click()

    busy = page.locator("form[aria-busy=true]")
    expect(busy.locator("button")).to_be_disabled()
    expect(busy.locator("button")).to_have_text("正在处理，请稍候…")
    busy.evaluate("form => form.requestSubmit()")  # a second try while waiting
    page.wait_for_timeout(300)
    assert len(posts) == 1 and len(held) == 1

    with page.expect_response(lambda r: r.url.endswith(f"/draws/{draw.pk}/step/")):
        held[0].continue_()
    assert Draw.objects.get(pk=draw.pk).status == "drawn"
    assert AuditEvent.objects.filter(action="draws.draw.drawn").count() == 1
    page.reload()  # (the frame itself shows nothing: the platform's pages refuse to be framed)
    expect(page.get_by_text("已抽取").first).to_be_visible()
