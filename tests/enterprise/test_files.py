"""The enterprise downloads the photos it sent with a rectification report: only its own
order's files, only those its accounts sent, with the stored bytes checked against their hash."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from anjian.evidence.models import Evidence
from anjian.evidence.storage import evidence_storage
from tests.evidence.subjects import JPEG, PNG, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def evidence_dir(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "evidence"


@pytest.fixture
def mine(own: Any, principal: Any, entity_file: Any) -> dict:
    return entity_file(own)


def _send(client: Any, order: Any, *files: Any) -> None:
    response = client.post(
        reverse("enterprise:order_report", args=[order.pk]),
        {"text": "已更换防爆开关。", "photos": list(files)},
    )
    assert response.status_code == 302


def test_the_enterprise_downloads_the_photos_it_sent(
    mine: dict, principal: Any, login: Any, activate: Any, own: Any
) -> None:
    order, record = mine["order"], mine["record"]
    client = login(principal)
    _send(client, order, upload("整改后.jpg", JPEG))
    photo = Evidence.objects.get(subject_id=str(order.pk))
    url = reverse("enterprise:order_file", args=[order.pk, photo.pk])
    page = client.get(reverse("enterprise:inspection_detail", args=[record.pk])).content.decode()
    assert "我们发送的照片" in page and url in page and "整改后.jpg" in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == JPEG
    assert response["ETag"] == f'"{photo.sha256}"'
    # A staff member of the same unit reads it too (the scope is the entity's).
    clerk = activate(own, "staff").user
    assert login(clerk).get(url).status_code == 200


def test_another_enterprise_and_another_order_get_404(
    mine: dict,
    principal: Any,
    login: Any,
    activate: Any,
    make_entity: Any,
    entity_file: Any,
    org: dict,
) -> None:
    order = mine["order"]
    _send(login(principal), order, upload("整改后.jpg", JPEG))
    photo = Evidence.objects.get(subject_id=str(order.pk))
    other = make_entity("140603", name="平鲁其他煤业有限公司")
    theirs = entity_file(other)
    stranger = activate(other).user
    # Another enterprise: its own order's number in the address changes nothing.
    assert (
        login(stranger).get(reverse("enterprise:order_file", args=[order.pk, photo.pk])).status_code
        == 404
    )
    assert (
        login(stranger)
        .get(reverse("enterprise:order_file", args=[theirs["order"].pk, photo.pk]))
        .status_code
        == 404
    )
    # The owner asking for the file under another order (its own file, wrong order): 404.
    assert (
        login(principal)
        .get(reverse("enterprise:order_file", args=[theirs["order"].pk, photo.pk]))
        .status_code
        == 404
    )
    # Staff do not use the enterprise's page (they have the evidence download).
    assert (
        login(org["county_inspector"])
        .get(reverse("enterprise:order_file", args=[order.pk, photo.pk]))
        .status_code
        == 403
    )


def test_files_the_inspectors_attached_and_withdrawn_ones_are_not_offered(
    mine: dict, principal: Any, login: Any, org: dict
) -> None:
    from anjian.evidence.services import evidence_add, evidence_withdraw

    order, record = mine["order"], mine["record"]
    inspector = org["county_inspector"]
    record.inspectors.add(inspector)
    theirs = evidence_add(
        inspector, upload=upload("现场.png", PNG), subject=order, region=order.record.region_id
    )
    client = login(principal)
    _send(client, order, upload("整改后.jpg", JPEG))
    mine_photo = Evidence.objects.get(subject_id=str(order.pk), added_by=principal)
    assert (
        client.get(reverse("enterprise:order_file", args=[order.pk, theirs.pk])).status_code == 404
    )
    page = client.get(reverse("enterprise:inspection_detail", args=[record.pk])).content.decode()
    assert "现场.png" not in page
    evidence_withdraw(inspector, evidence=mine_photo, reason="照片模糊，重新提交")
    assert (
        client.get(reverse("enterprise:order_file", args=[order.pk, mine_photo.pk])).status_code
        == 404
    )


def test_bytes_altered_in_storage_are_not_served(
    mine: dict, principal: Any, login: Any, org: dict
) -> None:
    order = mine["order"]
    client = login(principal)
    _send(client, order, upload("整改后.jpg", JPEG))
    photo = Evidence.objects.get(subject_id=str(order.pk))
    with open(evidence_storage().path(photo.stored_file.path), "wb") as fh:
        fh.write(JPEG[:-1] + b"\x00")
    response = client.get(reverse("enterprise:order_file", args=[order.pk, photo.pk]))
    assert response.status_code == 500 and "哈希" in response.content.decode()
    # The staff download checks the same way.
    inspector = org["county_inspector"]
    mine["record"].inspectors.add(inspector)
    staff = login(inspector).get(reverse("evidence:evidence_download", args=[photo.pk]))
    assert staff.status_code == 500
