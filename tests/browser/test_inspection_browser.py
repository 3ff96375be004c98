"""The on-site record on a phone (390×844, touch): start from the task, tap the answers (each
saved at once, the page never reloads), record a hazard's finding under its card, submit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from anjian.inspections.models import Finding, InspectionRecord, RecordStatus
from tests.browser.conftest import TIMEOUT_MS, log_in
from tests.conftest import TEST_PASSWORD
from tests.inspections.conftest import site  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


def test_an_inspector_records_an_inspection_on_a_phone(live_server, site, phone: Page) -> None:  # noqa: F811
    page = phone
    log_in(page, live_server.url, site["inspector"].username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/tasks/")
    page.get_by_role("link", name="现场检查", exact=True).first.tap()
    expect(page.get_by_role("heading", name="开始现场检查")).to_be_visible()
    # The task's team is ticked already.
    assert page.locator("input[name=inspectors]:checked").count() == 2
    page.get_by_label("检查场所").fill("井东煤业调度室")
    page.get_by_label("被检查单位现场负责人").fill("赵六")
    page.get_by_role("button", name="打开检查记录").tap()
    expect(page.get_by_role("heading", name="现场检查记录")).to_be_visible()
    record = InspectionRecord.objects.get()
    # Nothing wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    p1, p2, p3 = site["points"]
    page.evaluate("window.__same_page = true")
    card1 = page.locator(f"#cp-{p1.pk}")
    button = card1.get_by_role("button", name="符合")
    box = button.bounding_box()
    assert box and box["height"] >= 44, "answer buttons are thumb-sized"
    button.tap()
    expect(page.locator(f"#cp-{p1.pk}")).to_have_attribute("data-answer", "compliant")

    page.locator(f"#cp-{p2.pk}").get_by_role("button", name="隐患").tap()
    card2 = page.locator(f"#cp-{p2.pk}")
    expect(card2).to_have_attribute("data-answer", "hazard")
    expect(card2).to_contain_text("提交前请记录发现的问题")
    card2.get_by_label("描述").fill("3号瓦斯监控分站断电未报警")
    card2.get_by_role("button", name="保存问题").tap()
    expect(page.locator(f"#cp-{p2.pk} .aj-finding")).to_contain_text("3号瓦斯监控分站断电未报警")
    if page.locator(f"#cp-{p2.pk} input[type=file]").count():
        assert (
            page.locator(f"#cp-{p2.pk} input[type=file]").get_attribute("capture") == "environment"
        )

    page.locator(f"#cp-{p3.pk}").get_by_role("button", name="不适用").tap()
    expect(page.locator(f"#cp-{p3.pk}")).to_have_attribute("data-answer", "not_applicable")
    assert page.evaluate("window.__same_page === true"), "an answer reloaded the page"
    assert record.answers.count() == 3
    assert Finding.objects.get().severity == "general"

    page.get_by_role("button", name="提交检查记录").tap()
    expect(page.locator(".alert-success")).to_contain_text("检查记录已提交")
    record.refresh_from_db()
    assert record.status == RecordStatus.SUBMITTED
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
