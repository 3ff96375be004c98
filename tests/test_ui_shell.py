"""The UI shell: Chinese by default, English on request, nothing loaded from other hosts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
PO = Path(__file__).resolve().parent.parent / "src/anjian/locale/zh_Hans/LC_MESSAGES/django.po"

MAIN_PAGES = [
    "accounts:home",
    "accounts:bureau_list",
    "accounts:user_list",
    "accounts:certificate_list",
    "core:audit_list",
    "core:region_list",
    "accounts:password_change",
    "accounts:user_create",
    "entities:entity_list",
    "entities:entity_create",
    "entities:import_upload",
    "entities:licence_expiring",
    "entities:filing_missing",
]
PUBLIC_PAGES = [
    "accounts:login",
    "portal:index",
    "portal:audit_head",
    "catalog:item_list",
    "catalog:benchmark_list",
    "catalog:standard_list",
    "draws:portal_list",
    "documents:portal_lookup",
    "publications:portal_list",
    "complaints:portal_report",
    "complaints:portal_follow_up",
    "complaints:portal_exposure",
    "complaints:portal_statistics",
]
_ATTR = re.compile(r"""(?:src|href|action|hx-get|hx-post)\s*=\s*["']([^"']+)["']""", re.I)
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""")


# msgstrs that may equal their English msgid: a language's own name and a code name.
SAME_IN_CHINESE = {"English", "SHA-256"}


def test_the_chinese_catalogue_is_complete() -> None:
    catalogue = polib.pofile(str(PO))
    assert len(catalogue) > 100
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    # A msgstr copied from its English msgid is untranslated too, whatever polib says.
    copied = [
        e.msgid
        for e in catalogue
        if (e.msgstr or e.msgstr_plural.get(0, "")) == e.msgid
        and re.search(r"[A-Za-z]{3}", e.msgid)
        and e.msgid not in SAME_IN_CHINESE
    ]
    assert copied == []


def _assert_local(html: str, where: str) -> None:
    for url in _ATTR.findall(html):
        assert not re.match(r"^(https?:)?//", url), f"{where} loads {url} from another host"
        if url.startswith("/static/"):
            path = url.removeprefix("/static/").split("?")[0]
            found = finders.find(path)
            assert found, f"{where} refers to missing static file {url}"
            if path.endswith(".css"):
                _assert_css_local(Path(found), path)


def _assert_css_local(css: Path, name: str) -> None:
    for ref in _CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace")):
        if ref.startswith("data:"):
            continue
        assert not re.match(r"^(https?:)?//", ref), f"{name} loads {ref} from another host"
        target = (css.parent / ref.split("?")[0].split("#")[0]).resolve()
        assert target.exists(), f"{name} refers to missing {ref}"


@pytest.mark.parametrize("role_user", ["province_admin", "county_inspector", "legal", "no_role"])
def test_main_pages_load_nothing_from_other_hosts(org, login, role_user: str) -> None:
    from anjian.accounts.models import RoleAssignment

    user = org[role_user]
    if role_user == "province_admin":
        RoleAssignment.objects.create(user=user, role="auditor")
    client = login(user)
    for name in MAIN_PAGES:
        response = client.get(reverse(name))
        if response.status_code == 403:
            continue
        assert response.status_code == 200, name
        _assert_local(response.content.decode(), name)


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_pages_load_nothing_from_other_hosts(client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    _assert_local(response.content.decode(), name)


def test_pages_are_chinese_by_default_and_english_on_request(client) -> None:
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="zh-hans"' in html and "登录" in html and "“互联网+监管”" in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("accounts:login")).content.decode()
    assert 'lang="en"' in html and "Log in" in html


def test_an_english_browser_still_gets_chinese_until_the_user_switches(client) -> None:
    html = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="zh-hans"' in html.content.decode()


@pytest.mark.parametrize("name", ["accounts:user_list", "accounts:bureau_list", "core:audit_list"])
def test_a_nul_character_in_a_filter_is_a_clear_400(org, login, name: str) -> None:
    from anjian.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=org["county_admin"], role="auditor")
    client = login(org["county_admin"])
    for param in ("q", "action", "level"):
        response = client.get(reverse(name), {param: "a\x00b"})
        assert response.status_code == 400
        assert "NUL" in response.content.decode()


def _routes_with_text_parameters() -> list[str]:
    """Every route whose address takes a text parameter, with a NUL in its place."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.urls.resolvers import RoutePattern

    found: list[str] = []

    def walk(patterns: list, prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif (
                isinstance(p, URLPattern)
                and isinstance(p.pattern, RoutePattern)
                and re.search(r"<(?:str|slug|path):|<\w+>", route)
            ):
                full = prefix + route
                full = re.sub(r"<(?:str|slug|path):\w+>|<\w+>", "a%00b", full)
                full = re.sub(r"<int:\w+>", "1", full)
                if "<" not in full and "(" not in full:
                    found.append("/" + full)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


def test_a_nul_character_in_an_address_is_not_found_never_a_server_error(org, login) -> None:
    """`/portal/catalog/%00/` used to reach the database and answer 500, even without login."""
    routes = [*_routes_with_text_parameters(), "/portal/catalog/%00/", "/api/entities/%00"]
    assert len(routes) > 10
    anonymous = Client(raise_request_exception=False)
    admin = login(org["province_admin"])
    admin.raise_request_exception = False
    for client in (anonymous, admin):
        for route in routes:
            response = client.get(route)
            assert response.status_code in (302, 400, 404), (route, response.status_code)
            if route.startswith("/api/") and response.status_code == 404:
                assert response.json()["error"]["code"] == "not_found"


def test_navigation_shows_only_what_the_role_may_use(org, login) -> None:
    inspector_html = login(org["county_inspector"]).get(reverse("accounts:home")).content.decode()
    assert reverse("accounts:bureau_list") in inspector_html
    assert reverse("accounts:user_list") not in inspector_html
    assert reverse("core:audit_list") not in inspector_html
    admin_html = login(org["county_admin"]).get(reverse("accounts:home")).content.decode()
    assert reverse("accounts:user_list") in admin_html
    assert reverse("core:audit_list") not in admin_html  # 三员分立: not the auditor
    auditor_html = login(org["province_auditor"]).get(reverse("accounts:home")).content.decode()
    assert reverse("core:audit_list") in auditor_html


def test_home_page_follows_the_role(org, login, make_certificate) -> None:
    make_certificate(org["county_inspector"], number="PL-0001", days_left=10)
    inspector = login(org["county_inspector"]).get(reverse("accounts:home")).content.decode()
    assert "PL-0001" in inspector and "即将到期" in inspector
    leader = login(org["city_admin"]).get(reverse("accounts:home")).content.decode()
    assert "即将到期" in leader and "PL-0001" in leader  # the city sees its county's expiry


def test_htmx_asks_for_a_fragment(org, login) -> None:
    client = login(org["county_admin"])
    full = client.get(reverse("accounts:user_list")).content.decode()
    part = client.get(reverse("accounts:user_list") + "?q=county", HTTP_HX_REQUEST="true")
    assert "<html" in full
    assert "<html" not in part.content.decode() and "county_insp" in part.content.decode()


def test_user_list_query_count_does_not_grow_with_rows(
    org, login, django_assert_max_num_queries
) -> None:
    client = login(org["province_admin"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("accounts:user_list")).status_code == 200


def test_create_user_page_shows_field_errors_in_chinese(org, login) -> None:
    client = login(org["county_admin"])
    response = client.post(
        reverse("accounts:user_create"),
        {
            "username": "county_insp",
            "full_name": "李四",
            "bureau": org["county_admin"].bureau_id,
            "password": "weak",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "已被" in html or "已存在" in html or "占用" in html  # user name taken
    # a bureau outside the county is not even offered
    assert (
        str(org["other_county_admin"].bureau_id) not in re.findall(r'value="(\d+)"', html)
        or org["other_county_admin"].bureau.name not in html
    )


def _anjian(tmp_path: Path, *args: str, drop: tuple[str, ...] = (), **env: str):
    """Run the anjian command in a fresh process with the given environment changes."""
    environ = {k: v for k, v in os.environ.items() if k not in drop}
    environ.update(DJANGO_SETTINGS_MODULE="anjian.settings", ANJIAN_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(  # noqa: S603  (our own command, fixed arguments)
        [sys.executable, "-m", "anjian.cli", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path) -> None:
    result = _anjian(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ANJIAN_ENV="production",
        SECRET_KEY="x" * 30 + "-Y7#k2@Lq9%zR!w3^pV6&nB1*mC4(",
        DATABASE_URL=f"sqlite:///{tmp_path}/prod.sqlite3",
        ANJIAN_ALLOWED_HOSTS="anjian.example.gov.cn",
        ANJIAN_PUBLIC_BASE_URL="https://anjian.example.gov.cn",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_when_the_documents_check_address_is_unset(tmp_path) -> None:
    result = _anjian(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        drop=("ANJIAN_PUBLIC_BASE_URL",),
        ANJIAN_ENV="production",
        SECRET_KEY="x" * 30 + "-Y7#k2@Lq9%zR!w3^pV6&nB1*mC4(",
        DATABASE_URL=f"sqlite:///{tmp_path}/prod.sqlite3",
        ANJIAN_ALLOWED_HOSTS="anjian.example.gov.cn",
    )
    assert result.returncode != 0
    assert "anjian.documents.W001" in result.stderr and "ANJIAN_PUBLIC_BASE_URL" in result.stderr


@pytest.mark.parametrize(
    "value", ["jg.yjt.shanxi.gov.cn", "/portal", "ftp://x.cn", "https://x.cn/?a=1"]
)
def test_a_check_address_that_is_not_absolute_fails_fast(tmp_path, value: str) -> None:
    result = _anjian(tmp_path, "check", ANJIAN_PUBLIC_BASE_URL=value)
    assert result.returncode != 0 and "ANJIAN_PUBLIC_BASE_URL" in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path) -> None:
    result = _anjian(
        tmp_path,
        "check",
        drop=("SECRET_KEY",),
        ANJIAN_ENV="production",
        DATABASE_URL=f"sqlite:///{tmp_path}/p.sqlite3",
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_a_bad_setting_fails_fast_naming_the_variable(tmp_path) -> None:
    result = _anjian(tmp_path, "check", ANJIAN_SESSION_IDLE_MINUTES="half an hour")
    assert result.returncode != 0 and "ANJIAN_SESSION_IDLE_MINUTES" in result.stderr


def test_one_navigation_entry_is_marked_as_the_current_page(org, login) -> None:
    client = login(org["county_admin"])
    for name, label in (("entities:import_upload", "导入"), ("entities:entity_list", "市场主体")):
        page = client.get(reverse(name))
        assert page.status_code == 200, name
        active = re.findall(
            r'class="nav-link active"[^>]*><i [^>]*></i> ([^<]+)</a>', page.content.decode()
        )
        # /entities/import/ starts with /entities/: only the closer entry is current.
        assert active == [label], (name, active)
