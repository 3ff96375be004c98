"""/api/docs on an intranet: Swagger UI comes from this server's /static/, nothing from a CDN."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

_ATTR = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", re.I)


def test_the_api_docs_page_refers_to_no_other_host_and_its_assets_are_served(client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.I), "an absolute URL"
    assets = _ATTR.findall(html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), assets
    assert any(a.endswith("swagger-ui.css") for a in assets), assets
    for url in assets:
        assert url.startswith("/static/"), url
        asset = client.get(url)
        assert asset.status_code == 200, url
        body = b"".join(asset.streaming_content) if asset.streaming else asset.content
        assert body, url
    # The schema the page loads is this server's too.
    assert '"url": "/api/openapi.json"' in html
    assert client.get("/api/openapi.json").status_code == 200


def test_swagger_ui_is_told_not_to_call_the_online_validator(client) -> None:
    assert '"validatorUrl": null' in client.get("/api/docs").content.decode()
