"""Every response carries the content security policy and the security headers: pages, the login
page, the API's JSON, the API's documentation page (docs/security.md, Transport and headers)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def _policy(response) -> dict[str, str]:
    return {
        part.split()[0]: " ".join(part.split()[1:])
        for part in response["Content-Security-Policy"].split(";")
        if part.strip()
    }


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/portal/", "/api/docs", "/api/openapi.json", "/api/me", "/nope/"]
)
def test_every_kind_of_response_has_the_headers(client, path) -> None:
    response = client.get(path)
    for header, value in EXPECTED.items():
        assert response[header] == value, (path, header)
    policy = _policy(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "payment=()" in response["Permissions-Policy"]


def test_a_logged_in_page_has_the_headers_and_no_inline_script(org, login) -> None:
    response = login(org["county_inspector"]).get("/home/")
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    # No inline handler and no inline executable <script>: the policy would block them.
    assert not re.search(r"\son[a-z]+\s*=", html), "an inline event handler"
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        assert "src=" in attributes or "application/json" in attributes or not body.strip()


def test_no_template_has_an_inline_handler_or_script() -> None:
    from pathlib import Path

    import anjian

    root = Path(anjian.__file__).parent
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text()
        if re.search(r"\son(click|change|submit|load|input|keyup|keydown)\s*=", text):
            offenders.append(str(template.relative_to(root)))
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", text):
            offenders.append(str(template.relative_to(root)))
    assert not offenders, offenders


def test_the_sandboxed_evidence_policy_is_not_replaced() -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory

    from anjian.core.middleware import SecurityHeadersMiddleware

    def view(request):
        response = HttpResponse("x")
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        return response

    response = SecurityHeadersMiddleware(view)(RequestFactory().get("/evidence/1/"))
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Permissions-Policy"]
