"""At the site, on a phone (390×844): the record opens at the check point to answer next with its
four buttons on screen, and moves on to the next unanswered point after each answer; the summary
and submit wait at the end of the page. The task list is a list of cards, open tasks first."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Locator, Page, expect

from anjian.catalog import services as catalog_services
from anjian.catalog.services import ItemValues
from anjian.inspections import services
from anjian.inspections.models import InspectionTask, TaskSource, TaskStatus
from tests.browser.conftest import TIMEOUT_MS, log_in
from tests.conftest import TEST_PASSWORD
from tests.inspections.conftest import site  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 390, 844
ANSWERS = ("符合", "隐患", "违法行为", "不适用")

# A checklist as long-winded as the real ones (the demo's gas item): six points, each a few lines
# of text and its basis, so that a card is about a third of the phone's screen.
POINTS = [
    (
        "矿井瓦斯等级鉴定或瓦斯涌出量测定是否按规定开展，鉴定结果是否与所采取的管理措施一致",
        "documents",
    ),
    (
        "安全监控系统是否正常运行，甲烷传感器设置位置、报警和断电浓度、断电范围及定期调校是否符合要求",
        "remote",
    ),
    (
        "瓦斯检查制度是否落实，采掘工作面等作业地点瓦斯检查次数和记录（检查牌板、记录手册、报表）是否一致",
        "onsite",
    ),
    ("是否存在甲烷浓度超限后仍继续作业，超限时是否按规定停止作业、撤出人员、切断电源", "remote"),
    (
        "高瓦斯、煤与瓦斯突出矿井是否建立瓦斯抽采系统并正常运行，突出矿井是否落实区域和局部综合防突措施",
        "onsite",
    ),
    (
        "矿井通风系统是否完善可靠：主要通风机、局部通风机运行与备用，风量、风速是否满足要求",
        "onsite",
    ),
]


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        viewport={"width": WIDTH, "height": HEIGHT},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context.new_page()
    context.close()


@pytest.fixture
def gas(site, org) -> dict[str, Any]:  # noqa: F811
    """The site's inspector with an open record of a six-point checklist."""
    item = catalog_services.item_create(
        actor=org["province_admin"],
        code="14000000100098",
        values=ItemValues(
            name="对煤矿企业瓦斯防治和矿井通风情况的行政检查",
            act_kind="inspection",
            industries=["coal_mine"],
            legal_basis=[{"law": "中华人民共和国安全生产法", "article": "第六十五条"}],
            check_points=[
                {"content": text, "method": method, "basis": "《煤矿安全规程》（2022）有关规定"}
                for text, method in POINTS
            ],
        ),
        effective_from=datetime.date(2021, 9, 1),
    )
    today = timezone.localdate()
    task = InspectionTask.objects.create(
        bureau=site["inspector"].bureau,
        entity=site["mine"],
        item=item,
        source=TaskSource.PLAN,
        period_start=today - datetime.timedelta(days=30),
        due_on=today + datetime.timedelta(days=10),
    )
    task.inspectors.set([site["inspector"], site["second"]])
    record = services.record_start(
        actor=site["inspector"],
        task=task,
        place="井东煤业调度室",
        present_name="赵六",
        present_post="安全副矿长",
    )
    points = list(item.versions.get().check_points.order_by("order"))
    return {**site, "record": record, "points": points}


def answer_buttons(page: Page, point: Any) -> list[Locator]:
    card = page.locator(f"#cp-{point.pk}")
    return [card.get_by_role("button", name=name, exact=True) for name in ANSWERS]


# Inside the screen, and not under anything else (a panel stuck over the points).
UNCOVERED = """b => {
  const r = b.getBoundingClientRect();
  const e = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return b === e || b.contains(e);
}"""


def on_screen(locator: Locator) -> bool:
    box = locator.bounding_box()
    inside = bool(box and box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT)
    return inside and locator.evaluate(UNCOVERED)


def expect_buttons_on_screen(page: Page, point: Any) -> None:
    """The four answer buttons of the point lie inside the phone's screen (after any scrolling the
    page does by itself, which may be smooth: waited for)."""
    buttons = answer_buttons(page, point)
    for button in buttons:
        expect(button).to_be_visible()
    deadline = datetime.datetime.now() + datetime.timedelta(seconds=5)
    while not all(on_screen(b) for b in buttons) and datetime.datetime.now() < deadline:
        page.wait_for_timeout(100)
    boxes = [b.bounding_box() for b in buttons]
    assert all(on_screen(b) for b in buttons), f"answer buttons off screen: {boxes}"


def test_a_new_record_opens_with_the_first_point_on_screen_and_moves_on(
    live_server, gas, phone: Page
) -> None:
    page = phone
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    p1, p2, p3, *_ = gas["points"]
    log_in(page, live_server.url, gas["inspector"].username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/inspections/{gas['record'].pk}/")
    expect(page.get_by_role("heading", name="现场检查记录")).to_be_visible()
    # The record's facts are folded away on a phone; the entity stays named.
    expect(page.locator(".aj-record-facts summary")).to_contain_text(gas["mine"].name)
    expect(page.get_by_text("被检查单位现场负责人")).to_be_hidden()
    expect_buttons_on_screen(page, p1)
    assert "aj-current" in (page.locator(f"#cp-{p1.pk}").get_attribute("class") or "")

    answer_buttons(page, p1)[0].tap()
    expect(page.locator(f"#cp-{p1.pk}")).to_have_attribute("data-answer", "compliant")
    expect_buttons_on_screen(page, p2)
    assert "aj-current" in (page.locator(f"#cp-{p2.pk}").get_attribute("class") or "")
    expect(page.locator("[data-aj-answered]")).to_have_text("1")

    # A hazard needs its finding first: the page stays at the point until it is recorded.
    answer_buttons(page, p2)[1].tap()
    card2 = page.locator(f"#cp-{p2.pk}")
    expect(card2).to_have_attribute("data-answer", "hazard")
    card2.get_by_label("描述").fill("3号瓦斯监控分站断电未报警")
    assert "aj-current" not in (page.locator(f"#cp-{p3.pk}").get_attribute("class") or "")
    card2.get_by_role("button", name="保存问题").tap()
    expect(card2.locator(".aj-finding")).to_contain_text("3号瓦斯监控分站断电未报警")
    expect_buttons_on_screen(page, p3)

    # The summary and submit come after the last check point, not over the points.
    last = page.locator(".aj-point").last.bounding_box()
    submit = page.get_by_role("button", name="提交检查记录").bounding_box()
    assert last and submit and submit["y"] > last["y"] + last["height"]
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert errors == []


def test_a_record_half_done_opens_at_its_first_unanswered_point(
    live_server, gas, phone: Page
) -> None:
    page = phone
    points = gas["points"]
    for point in (points[0], points[1], points[3]):
        services.record_answer(
            actor=gas["inspector"], record=gas["record"], check_point=point, answer="compliant"
        )
    log_in(page, live_server.url, gas["inspector"].username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/inspections/{gas['record'].pk}/")
    # Point 3 lies below the fold of an unscrolled page: the page opens at it.
    expect_buttons_on_screen(page, points[2])
    expect(page.locator("[data-aj-answered]")).to_have_text("3")

    answer_buttons(page, points[2])[3].tap()  # 不适用
    expect(page.locator(f"#cp-{points[2].pk}")).to_have_attribute("data-answer", "not_applicable")
    # Point 4 is answered already: on to point 5.
    expect_buttons_on_screen(page, points[4])


def test_the_task_list_on_a_phone_is_cards_with_open_tasks_first(
    live_server,
    site,  # noqa: F811
    phone: Page,
) -> None:
    today = timezone.localdate()
    base = {
        "bureau": site["inspector"].bureau,
        "entity": site["mine"],
        "item": site["item"],
        "source": TaskSource.PLAN,
    }
    done = InspectionTask.objects.create(
        **base,
        period_start=today - datetime.timedelta(days=120),
        due_on=today - datetime.timedelta(days=90),
        status=TaskStatus.DONE,
        done_on=today - datetime.timedelta(days=95),
    )
    soon = InspectionTask.objects.create(
        **base,
        period_start=today - datetime.timedelta(days=5),
        due_on=today + datetime.timedelta(days=3),
    )
    later = site["task"]  # due in 30 days
    page = phone
    log_in(page, live_server.url, site["inspector"].username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/tasks/")
    cards = page.locator(".aj-task-card")
    expect(cards).to_have_count(3)
    expect(page.locator("table").last).to_be_hidden()
    statuses = [cards.nth(i).get_attribute("data-status") for i in range(3)]
    assert statuses == ["open", "open", "done"]
    first = cards.first
    expect(first).to_contain_text(f"{soon.due_on:%Y-%m-%d}")
    expect(first).to_contain_text(site["mine"].name)
    expect(first).to_contain_text("对煤矿企业瓦斯防治情况的行政检查")  # the item by its name
    expect(first.get_by_role("link", name="现场检查", exact=True)).to_be_visible()
    expect(cards.nth(1)).to_contain_text(f"{later.due_on:%Y-%m-%d}")
    expect(cards.nth(2)).to_contain_text(f"{done.due_on:%Y-%m-%d}")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH

    # The filters still apply to the cards.
    page.get_by_label("状态").select_option("done")
    page.get_by_role("button", name="显示").tap()
    expect(page.locator(".aj-task-card")).to_have_count(1)
    expect(page.locator(".aj-task-card").first).to_have_attribute("data-status", "done")


def test_wide_tables_keep_their_headers_on_one_line(live_server, site, open_page) -> None:  # noqa: F811
    """On a desktop the task table's headers stand on one line; on a phone the record list
    scrolls sideways inside its box rather than stacking its headers a character per line."""
    for width, height, path in ((1280, 800, "/tasks/"), (WIDTH, HEIGHT, "/inspections/")):
        page = open_page(width, height)
        log_in(page, live_server.url, site["inspector"].username, TEST_PASSWORD)
        page.goto(f"{live_server.url}{path}")
        headers = page.locator("table:visible thead th")
        assert headers.count() >= 4
        line = headers.first.evaluate("th => parseFloat(getComputedStyle(th).lineHeight)")
        for i in range(headers.count()):
            box = headers.nth(i).bounding_box()
            assert box and box["height"] < 2 * line, f"{path}: header {i} wraps"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
