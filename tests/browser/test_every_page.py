"""Every page of every demo role, as a newcomer walks it after `make demo` (issue 18's gate).

Each demo login (and a visitor on the portal) opens its home page and every navigation entry in
the browser, and every link, GET form and hx-get those pages offer is fetched once. The test
fails, with one list of everything found, on: a 4xx/5xx (or the login page) behind a link the
page offered, an untranslated English word or a raw code (`cases.case`, `order_correction`) in
the text a user reads, anything loaded from another host, a document check address without
scheme and host, and a page wider than a phone. What the walk does is in crawl.py.

After a fix, `ANJIAN_CRAWL_ROLES=pl_legal,visitor` walks only those logins, and
`ANJIAN_CRAWL_VERBOSE=1` (with `-s`) prints what the demo loaded and every page each login
visited.
"""

from __future__ import annotations

import io
import os
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, sync_playwright

from anjian.accounts.models import User
from anjian.cases.models import Case
from anjian.demo import DEMO_ENTERPRISE_LOGIN, DEMO_PASSWORD, NAMED_ACCOUNTS
from anjian.demo_enterprise import DEMO_ASSOCIATION_LOGIN
from anjian.documents.models import OfficialDocument
from anjian.draws.models import Draw
from anjian.inspections.models import InspectionRecord
from anjian.plans.models import InspectionPlan
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.browser.crawl import Crawl, Failure, report

pytestmark = pytest.mark.browser

# Small enough to load in seconds, large enough for the demo's whole story (at 300, today's
# demo makes one case of its four, and no page of a case in legal review is there to walk).
DEMO_ENTITIES = 1000


@pytest.fixture(scope="module")
def offline_browser() -> Iterator[Browser]:
    """Chromium on an intranet: no name but the live server's resolves, so a page that reaches
    for another host fails at once (the request is still seen and reported)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`)")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # see conftest.browser
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=[
                    *CHROMIUM_ARGS,
                    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
                ],
            )
            yield chromium
            chromium.close()


def test_every_role_reaches_every_page_it_is_offered_in_chinese_and_offline(
    live_server, offline_browser: Browser, transactional_db
) -> None:
    # As `make demo` loads it (the command, not the loaders one by one: what a newcomer runs).
    started = time.perf_counter()
    output = io.StringIO()
    call_command("demo_data", entities=DEMO_ENTITIES, stdout=output)
    spent_loading = time.perf_counter() - started
    story = {
        "plans": InspectionPlan.objects.count(),
        "draws": Draw.objects.count(),
        "inspection records": InspectionRecord.objects.count(),
        "cases in each state of the story": set(Case.objects.values_list("state", flat=True))
        >= {"closed", "served", "legal_review", "investigating"},
        "documents": OfficialDocument.objects.count(),
    }
    assert all(story.values()), f"the demo's story is incomplete, nothing to walk: {story}"
    # Login names are Latin and typed as they are; the crawler reads them as names, not words.
    names = frozenset(User.objects.values_list("username", flat=True))
    only = os.environ.get("ANJIAN_CRAWL_ROLES", "").split(",")  # to walk again after a fix
    failures: list[Failure] = []
    spent: Counter[str] = Counter()  # seconds and pages, by way of visiting
    visited = 0
    shared: set[str] = set()
    walks: list[tuple[str, str | None]] = [("visitor", None)]
    walks += [(name, DEMO_PASSWORD) for name, *_ in NAMED_ACCOUNTS]
    walks += [(DEMO_ENTERPRISE_LOGIN.username, DEMO_PASSWORD)]  # the enterprise's own pages
    walks += [(DEMO_ASSOCIATION_LOGIN.username, DEMO_PASSWORD)]  # the association's
    walks = [(role, password) for role, password in walks if only == [""] or role in only]
    # The first login (the province's administrator) also opens the API's interactive docs,
    # linked from no page but bound to work offline too, and every document the demo issued,
    # wherever its page is (a page a walk skipped as one more of the same kind).
    first = {
        "extra_browser_pages": ["/api/docs"],
        "extra_fetches": [
            f"/documents/{pk}.{kind}"
            for pk in OfficialDocument.objects.order_by("pk").values_list("pk", flat=True)
            for kind in ("pdf", "docx")
        ],
    }
    for role, password in walks:
        crawl = Crawl(offline_browser, live_server.url, role, password, shared=shared, names=names)
        # A staff login takes the extras (the enterprise's account may open none of them).
        staff = password is not None and role not in (
            DEMO_ENTERPRISE_LOGIN.username,
            DEMO_ASSOCIATION_LOGIN.username,
        )
        failures += crawl.run(**first) if staff else crawl.run()
        first = {} if staff else first
        visited += len(crawl.visited)
        if os.environ.get("ANJIAN_CRAWL_VERBOSE"):
            print(role, *crawl.visited, sep="\n  ")
        spent.update(crawl.spent)
    if os.environ.get("ANJIAN_CRAWL_VERBOSE"):
        print(output.getvalue())
    print(f"demo {spent_loading:.1f} s", {k: round(v, 1) for k, v in spent.items()})
    assert visited > 20 * len(walks), "the walk reached too few pages to mean anything"
    text = report(failures, visited)
    if os.environ.get("ANJIAN_CRAWL_REPORT"):  # the whole list, which pytest's output may cut
        Path(os.environ["ANJIAN_CRAWL_REPORT"]).write_text(text, encoding="utf-8")
    assert not failures, text
