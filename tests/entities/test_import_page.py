"""The import page lists earlier imports, including those the system ran (the demo loader's),
which have no creator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from anjian.entities.models import ImportBatch

pytestmark = pytest.mark.django_db


def test_an_import_without_a_creator_is_shown_as_the_systems(org, login) -> None:
    ImportBatch.objects.create(
        kind="entities", file_name="demo-entities.xlsx", file_sha256="0" * 64, created_by=None
    )
    ImportBatch.objects.create(
        kind="licences",
        file_name="licences.xlsx",
        file_sha256="1" * 64,
        created_by=org["province_admin"],
    )
    response = login(org["province_admin"]).get(reverse("entities:import_upload"))
    assert response.status_code == 200
    rows = response.content.decode().split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    newest, oldest = (r for r in rows.split("</tr>") if "xlsx" in r)
    assert "licences.xlsx" in newest and org["province_admin"].full_name in newest
    assert "demo-entities.xlsx" in oldest and "<td>系统</td>" in oldest
