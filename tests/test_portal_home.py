"""The portal's home page leads the public to every public page: document verification first,
then every public list, each of which opens without a login."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PUBLIC_LISTS = [
    "documents:portal_lookup",
    "catalog:item_list",
    "catalog:benchmark_list",
    "catalog:standard_list",
    "draws:portal_list",
    "publications:portal_list",
    "portal:audit_head",
    "complaints:portal_report",
    "complaints:portal_follow_up",
    "complaints:portal_exposure",
    "complaints:portal_statistics",
]


def test_the_portal_home_links_every_public_list(client) -> None:
    html = client.get(reverse("portal:index")).content.decode()
    links = set(re.findall(r'href="([^"]+)"', html))
    for name in PUBLIC_LISTS:
        assert reverse(name) in links, name
        assert client.get(reverse(name)).status_code == 200, name
    assert "执法文书核验" in html


def test_a_code_typed_on_the_portal_home_goes_to_its_check_page(client) -> None:
    html = client.get(reverse("portal:index")).content.decode()
    form = html.split("aj-portal-verify", 1)[1].split("</form>", 1)[0]
    assert f'action="{reverse("documents:portal_lookup")}"' in form and 'name="code"' in form
    response = client.get(reverse("documents:portal_lookup"), {"code": "ABCD-EFGH-JKLM-NPQR"})
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/documents/")
