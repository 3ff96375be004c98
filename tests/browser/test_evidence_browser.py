"""Adding evidence from a phone: the camera form, several files at once, the list refreshed in
place (HTMX) with the refused file named, the photo shown, a mistaken one withdrawn."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from anjian.accounts.models import User
from anjian.evidence.models import Evidence
from tests.browser.conftest import log_in
from tests.conftest import TEST_PASSWORD
from tests.evidence.subjects import EXE, entity_subject_register

pytestmark = pytest.mark.browser


def _png(width: int = 8, height: int = 8) -> bytes:
    """A real (orange) PNG, so the browser can draw it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\xff\x80\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_an_inspector_adds_photos_from_the_phone_and_withdraws_a_mistake(
    live_server,
    settings,
    request: pytest.FixtureRequest,
    make_user: Callable[..., User],
    make_entity,
    open_page: Callable[..., Page],
) -> None:
    settings.ROOT_URLCONF = "tests.evidence.urls"
    request.addfinalizer(entity_subject_register())
    inspector = make_user("140603", ["inspector"])
    entity = make_entity(name="山西焦煤集团平鲁煤业有限公司")
    page = open_page(390, 844)  # a phone at a mine site
    log_in(page, live_server.url, inspector.username, TEST_PASSWORD)
    page.goto(f"{live_server.url}/test-evidence/{entity.pk}/")
    file_input = page.locator("#ev-entity-files")
    assert file_input.get_attribute("capture") == "environment"
    assert file_input.get_attribute("multiple") is not None
    page.evaluate("window.__same_page = true")
    file_input.set_input_files(
        [
            {"name": "3号巷道.png", "mimeType": "image/png", "buffer": _png()},
            {"name": "照片.jpg", "mimeType": "image/jpeg", "buffer": EXE},
        ]
    )
    page.locator("#ev-entity-caption").fill("瓦斯检测")
    page.get_by_role("button", name="添加证据").click()
    items = page.locator("#ev-entity li[data-evidence]")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("3号巷道.png")
    expect(items.first).to_contain_text("瓦斯检测")
    expect(page.locator("#ev-entity .alert-danger")).to_contain_text("照片.jpg")
    assert page.evaluate("window.__same_page === true"), "the page reloaded"
    image = items.first.locator("img")
    expect(image).to_be_visible()
    # Visible is not loaded: wait for the bytes (a busy machine serves them later).
    handle = image.element_handle()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=handle)
    assert page.evaluate("(img) => img.naturalWidth", handle) == 8
    # the form was emptied for the next photo
    assert page.evaluate("document.querySelector('#ev-entity-files').files.length") == 0

    items.first.get_by_text("撤回（误传）").click()
    items.first.get_by_role("textbox").fill("拍错了企业")
    items.first.get_by_role("button", name="撤回").click()
    expect(page.locator("#ev-entity li[data-evidence] del").first).to_have_text("3号巷道.png")
    expect(page.locator("#ev-entity")).to_contain_text("拍错了企业")
    assert Evidence.objects.get().is_withdrawn
