"""Walk every page a demo role can reach and say what stands in a user's way.

The gate of issue 18, used by test_every_page.py. For one login (or a visitor), starting at the
home page (the portal for a visitor):

1. the real browser opens the start page and every navigation entry (links in the page's
   <nav>, <aside> and <header>; for a visitor, every link of the portal's index), watching every
   request the page makes;
2. every link (a[href]), GET form (submitted as the browser would, with its current values) and
   hx-get element (with HTMX's HX-Request header) on those pages is fetched once through the
   browser context's request API, which shares the session cookie and is much faster than
   rendering;
3. on the pages fetched in 2, the links shown as buttons (the page's actions) and the links to
   downloads are fetched in turn, for their status, and a DOCX or PDF for its text.

POST forms (logging out, switching the language, every workflow step) are never sent: a walk
must not change what it walks.

On every page it reads it looks for: a 4xx/5xx answer or a detour to the login page behind a
link the page offered, an untranslated English word or a dotted/underscored code in the text a
user reads, anything loaded from another host, a document check address shown without scheme and
host, and (browser pages) a body wider than a 390 px phone. Failures are collected, never raised
one by one, so one run lists them all.

To bound the time, at most MAX_PER_PATTERN addresses of one pattern (the path with every segment
that holds a digit replaced, plus the names of the query parameters) are fetched per login.
Everything is in document order, so a run on the same data visits the same pages.
"""

from __future__ import annotations

import io
import re
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, TypedDict, TypeVar
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from playwright.sync_api import APIResponse, Browser, BrowserContext, Page, Request

T = TypeVar("T")
MAX_PER_PATTERN = 3
TIMEOUT_MS = 30_000
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}

# Latin a Chinese reader expects to see as it is: names of formats, standards, protocols.
ALLOWED_LATIN = frozenset(
    {
        "USCC", "PDF", "DOCX", "XLSX", "XLS", "CSV", "API", "Excel", "ID", "SHA", "URL", "HTMX",
        "QR", "TOTP", "JSON", "OpenAPI", "HTTPS", "HTTP", "GB", "GB/T", "AQ", "AQ/T", "MT", "MT/T",
        "HG", "HG/T", "DB", "JGJ", "SY", "WS", "KB", "MB", "GBK",
    }
)  # fmt: skip
# A file name is not a code: 名单.xlsx, draw.mjs.
FILE_EXTENSIONS = frozenset(
    {"pdf", "docx", "xlsx", "xls", "csv", "json", "md", "png", "jpg", "jpeg", "txt", "zip", "mjs"}
)
# Runs of Latin, digits and the punctuation codes and addresses are made of.
_RUN = re.compile(r"/*[A-Za-z0-9_][A-Za-z0-9_.\-/:@%+~#=?&]*")
_DOTTED = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
_SNAKE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)+")
_HEX = re.compile(r"[0-9a-f]{8,}")
# A path; a verification code that happens to lack digits; a report's receipt number (JB-PCMYG-
# MWXCE) and follow-up code (five groups of four), which may be letters only.
_CODE = re.compile(r"/.*|[A-Z0-9]{12,}|JB(-[0-9A-Z]{5}){2}|[0-9A-Z]{4}(-[0-9A-Z]{4}){4}")
# Standard and document designations: GB 6722-2014, AQ/T 9006, Q/SXJM 001; kept as they are.
_STANDARD = re.compile(
    r"(?<![\w/-])(?:[A-Z]{1,5}(?:/[A-Z]{1,2})?|Q/[A-Z0-9]+)\s*\d[\d.\-—]*(?![\w/-])"
)
# Document and licence numbers: （晋）MK安许证字〔2025〕0005号, （晋朔平）应急罚〔2026〕3号.
_NUMBER = re.compile(r"[^\s，。；：、]*〔\d{4}〕[^\s，。；：、]*")
CHECK_PATH = "/portal/documents/"
# Elements whose content the browser does not show as text.
_NOT_TEXT = frozenset({"script", "style", "template"})
_TEXT_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
# Elements that make the browser load something, and the attributes that say what.
_LOADS = {
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
}
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)")
_SKIP_SCHEMES = ("javascript:", "mailto:", "tel:", "data:", "blob:", "about:")


@dataclass(frozen=True, order=True)
class Failure:
    kind: str
    role: str
    page: str
    target: str
    detail: str


class Offer(TypedDict):
    """A link, GET form or hx-get element of a browser page (_OFFERS_JS)."""

    url: str
    label: str
    nav: bool
    fragment: bool


@dataclass(frozen=True)
class Link:
    url: str  # absolute, without fragment
    label: str
    offered_by: str  # the page's path
    fragment: bool = False  # an hx-get: fetched as HTMX fetches it


@dataclass
class HtmlPage:
    """What one HTML page holds, read by _Reader."""

    texts: list[tuple[str, str]] = field(default_factory=list)  # (where, text)
    loads: list[str] = field(default_factory=list)
    # Links shown as buttons (the page's actions) and links to downloads (documents)
    buttons: list[tuple[str, str]] = field(default_factory=list)


_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
     "wbr", "param"}
)  # fmt: skip
_CODE_TAGS = frozenset({"code", "kbd", "samp", "pre"})
_CJK = re.compile(r"[\u3400-\u9fff]")


@dataclass
class _Open:
    """An element being read: whether its own words (not its codes) hold Chinese, its codes."""

    tag: str
    cjk: bool = False
    codes: list[str] = field(default_factory=list)


class _Reader(HTMLParser):
    """Text a user reads (with the attribute it comes from), what the page loads, its links.

    A <code>, <kbd>, <samp> or <pre> beside Chinese words in its element
    (登录成功 <code>accounts.login.succeeded</code>) is a code kept for machines next to its
    meaning and is not read as text; alone in its element (a table cell holding only
    <code>cases.case</code>) it is what the user reads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = HtmlPage()
        self._hidden: list[str] = []  # the open elements whose text is not read
        self._text: list[str] = []
        self._link: tuple[str, list[str]] | None = None  # an open button or download link
        self._open: list[_Open] = [_Open("#document")]
        self._in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag not in _VOID:
            self._open.append(_Open(tag))
            if tag in _CODE_TAGS:
                self._in_code += 1
        if tag in _NOT_TEXT or (tag == "select" and a.get("name") == "language"):
            # The language switch names each language in itself (English): not a translation.
            self._hidden.append(tag)
        for name in _TEXT_ATTRIBUTES:
            if a.get(name):
                self.page.texts.append((f'{name}="…"', a[name]))
        if tag == "input" and a.get("type") in ("submit", "button", "reset") and a.get("value"):
            self.page.texts.append(("button", a["value"]))
        for name in _LOADS.get(tag, ()):
            if a.get(name):
                if name == "srcset":
                    self.page.loads += [p.split()[0] for p in a[name].split(",") if p.strip()]
                else:
                    self.page.loads.append(a[name])
        if tag == "input" and a.get("type") == "image" and a.get("src"):
            self.page.loads.append(a["src"])
        if a.get("style"):
            self.page.loads += _CSS_URL.findall(a["style"])
        if tag == "a" and a.get("href") and _button_or_download(a):
            self._link = (a["href"], [])

    def handle_endtag(self, tag: str) -> None:
        if self._hidden and self._hidden[-1] == tag:
            self._hidden.pop()
        if tag == "a" and self._link is not None:
            href, label = self._link
            self.page.buttons.append((href, " ".join("".join(label).split())[:40]))
            self._link = None
        if any(o.tag == tag for o in self._open[1:]):  # else a stray end tag: ignore it
            while self._close() != tag:
                pass

    def _close(self) -> str:
        element = self._open.pop()
        parent = self._open[-1]
        if element.tag in _CODE_TAGS:
            self._in_code -= 1
            parent.codes += element.codes
        else:
            # Codes directly inside: kept beside Chinese words, or the words themselves.
            if not element.cjk:
                self._text += element.codes
            parent.cjk |= element.cjk
        return element.tag

    def handle_data(self, data: str) -> None:
        if self._hidden:
            if self._hidden[-1] == "style":
                self.page.loads += _CSS_URL.findall(data)
            return
        if self._in_code:
            self._open[-1].codes.append(data)
        else:
            self._text.append(data)
            if _CJK.search(data):
                self._open[-1].cjk = True
        if self._link is not None:
            self._link[1].append(data)

    def close(self) -> None:
        super().close()
        while len(self._open) > 1:
            self._close()
        self._text += self._open[0].codes
        self.page.texts.insert(0, ("text", " ".join(" ".join(self._text).split())))


def _button_or_download(a: dict[str, str]) -> bool:
    if "btn" in a.get("class", "").split() or "download" in a:
        return True
    return urlsplit(a["href"]).path.rsplit(".", 1)[-1].lower() in FILE_EXTENSIONS


def read_html(html: str) -> HtmlPage:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def word_problems(text: str, names: frozenset[str] = frozenset()) -> list[str]:
    """Untranslated English words and codes in text a Chinese user reads; `names` are Latin
    names that are right as they are (user names: what one types to log in)."""
    found: list[str] = []
    for run in _RUN.findall(_STANDARD.sub(" ", _NUMBER.sub(" ", text))):
        run = run.rstrip(".:-/?&=#")
        if not run or "://" in run or "@" in run or run.startswith("www.") or run in names:
            continue
        if _DOTTED.fullmatch(run) and run.rsplit(".", 1)[1] not in FILE_EXTENSIONS:
            found.append(f"code {run!r}")
            continue
        if _SNAKE.fullmatch(run):
            found.append(f"code {run!r}")
            continue
        if any(c.isdigit() for c in run) or _HEX.fullmatch(run) or _CODE.fullmatch(run):
            continue  # a number, a credit code, a hash, an address: Latin inside a code
        if "." in run and run.rsplit(".", 1)[1].lower() in FILE_EXTENSIONS:
            continue
        if run in ALLOWED_LATIN or run.lower() in FILE_EXTENSIONS:
            continue
        for word in re.split(r"[._\-/:%+~#=?&]+", run):
            if len(word) > 1 and word not in ALLOWED_LATIN:
                found.append(f"English {word!r}")
    return found


def relative_check_addresses(text: str) -> list[str]:
    """Document check addresses a reader could not type into a browser: no scheme and host."""
    return [
        run
        for run in _RUN.findall(text)
        if CHECK_PATH in run and not re.match(r"https?://[^/]+/", run)
    ]


def _segment(segment: str) -> str:
    """A path segment holding a digit is an identifier: 12, 91140603MA0…, 12.pdf (N.pdf)."""
    if not any(c.isdigit() for c in segment):
        return segment
    extension = re.search(r"\.[a-z]{2,4}$", segment)
    return "N" + (extension.group(0) if extension else "")


def pattern(url: str) -> str:
    parts = urlsplit(url)
    path = "/".join(_segment(s) for s in parts.path.split("/"))
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{path}?{'&'.join(keys)}"


# Collects, in document order, what a browser page offers: links (marking navigation entries),
# GET forms as the browser would submit them now, and hx-get elements outside forms.
_OFFERS_JS = """
() => {
  const navigation = new Set(document.querySelectorAll(
    'nav a[href], aside a[href], header a[href]'));
  const label = (el) => (el.innerText || el.getAttribute('aria-label') || el.title || '')
    .replace(/\\s+/g, ' ').trim().slice(0, 40);
  const out = [];
  for (const a of document.querySelectorAll('a[href]')) {
    out.push({url: a.href, label: label(a), nav: navigation.has(a), fragment: false});
  }
  for (const f of document.querySelectorAll('form')) {
    const method = (f.getAttribute('method') || 'get').toLowerCase();
    if (method !== 'get') continue;
    if (['hx-post', 'hx-put', 'hx-patch', 'hx-delete'].some((x) => f.hasAttribute(x))) continue;
    if (!f.checkValidity()) continue;  // a required field is empty: the browser would not send
    // getAttribute: f.action would be an input named "action" if the form has one.
    const target = new URL(f.getAttribute('action') || document.URL, document.baseURI);
    target.search = new URLSearchParams(new FormData(f)).toString();
    const button = f.querySelector('button, input[type=submit]')
      || document.querySelector(`[form="${f.id}"][type=submit], button[form="${f.id}"]`);
    out.push({url: target.href, label: 'form: ' + (button ? label(button) || button.value : ''),
              nav: false, fragment: false});
  }
  for (const el of document.querySelectorAll('[hx-get]:not(form)')) {
    out.push({url: new URL(el.getAttribute('hx-get'), document.baseURI).href,
              label: 'hx-get: ' + label(el), nav: false, fragment: true});
  }
  return out;
}
"""


@dataclass
class Crawl:
    """One login's walk. `failures` and `visited` are filled by run()."""

    browser: Browser
    base_url: str
    role: str  # the user name, or "visitor"
    password: str | None = None
    # Shared by the logins of one run: public pages look the same to everyone and are fetched
    # once; a page's width on a phone is measured once per pattern.
    shared: set[str] = field(default_factory=set)
    spent: dict[str, float] = field(default_factory=dict)  # seconds and pages, by way of visit
    names: frozenset[str] = frozenset()  # Latin that is right as it is: see word_problems
    failures: list[Failure] = field(default_factory=list)
    visited: list[str] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set)
    _patterns: Counter[str] = field(default_factory=Counter)
    _other_hosts: list[tuple[str, str]] = field(default_factory=list)  # (page, what it loaded)

    def fail(self, kind: str, page: str, target: str, detail: str) -> None:
        self.failures.append(Failure(kind, self.role, page, target, detail))

    def path(self, url: str) -> str:
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def same_host(self, url: str) -> bool:
        return urlsplit(url).netloc == urlsplit(self.base_url).netloc

    def take(self, url: str) -> bool:
        """Whether to fetch `url`: once per login, MAX_PER_PATTERN per pattern; a public page
        once for all logins; every document file the demo issued at least once."""
        path = urlsplit(url).path
        public = path.startswith("/portal/")
        unread = path.endswith((".pdf", ".docx")) and f"scanned {url}" not in self.shared
        key = pattern(url)
        if url in self._seen or (public and f"public {url}" in self.shared):
            return False
        if self._patterns[key] >= MAX_PER_PATTERN and not unread:
            return False
        self._seen.add(url)
        self._patterns[key] += 1
        if public:
            self.shared.add(f"public {url}")
        return True

    def run(
        self, extra_browser_pages: Iterable[str] = (), extra_fetches: Iterable[str] = ()
    ) -> list[Failure]:
        """Walk; also open `extra_browser_pages` in the browser and fetch `extra_fetches` (paths
        no page of this login offers, checked all the same)."""
        context = self.browser.new_context(
            locale="zh-CN",
            timezone_id="Asia/Shanghai",
            viewport=DESKTOP,  # type: ignore[arg-type]
            extra_http_headers={"Accept-Language": "zh-CN,zh;q=0.9"},
        )
        context.set_default_timeout(TIMEOUT_MS)
        # Nothing may come from another host (an intranet has none). Noted from the request
        # events: routing would switch the HTTP cache off and make every page reload its fonts.
        context.on("request", self._requested)
        try:
            self._walk(context, list(extra_browser_pages), list(extra_fetches))
        finally:
            context.close()
        return self.failures

    def _requested(self, request: Request) -> None:
        if not request.url.startswith(_SKIP_SCHEMES) and not self.same_host(request.url):
            self._other_hosts.append((self.path(request.frame.url), request.url))

    def _report_other_hosts(self) -> None:
        for page, other in sorted(set(self._other_hosts)):
            self.fail("other host", page, page, f"loads {other}")
        self._other_hosts.clear()

    def _walk(self, context: BrowserContext, extra: list[str], fetches: list[str]) -> None:
        page = context.new_page()
        if self.password is None:
            start = f"{self.base_url}/portal/"
        else:
            page.goto(f"{self.base_url}/accounts/login/")
            page.fill("#id_username", self.role)
            page.fill("#id_password", self.password)
            with page.expect_navigation():
                page.click("form button[type=submit]")
            if "/accounts/login/" in page.url:
                self.fail("login", "/accounts/login/", "/accounts/login/", "cannot log in")
                return
            start = page.url
        offers = self._browse(page, start, "(start)")
        navigation = [o for o in offers if o["nav"] or self.password is None]
        level_one: list[Link] = []
        pages = [start] + [o["url"] for o in navigation] + [f"{self.base_url}{p}" for p in extra]
        for url in pages:
            url = urldefrag(url)[0]
            if not self.same_host(url) or not self.take(url):
                continue
            if url == urldefrag(start)[0]:
                found = offers
            else:
                found = self._timed("browser", self._browse, page, url, "nav")
            for o in found:
                level_one.append(
                    Link(urldefrag(o["url"])[0], o["label"], self.path(url), o["fragment"])
                )
        level_two: list[Link] = []
        for link in level_one:
            if self._skip(link.url) or not self.take(link.url):
                continue
            level_two += self._timed("read", self._fetch, context, link, read=True)
        for link in level_two:
            if self._skip(link.url) or not self.take(link.url):
                continue
            self._timed("status", self._fetch, context, link, read=False)
        for path in fetches:
            link = Link(f"{self.base_url}{path}", "", "(offered by no page)")
            if self.take(link.url):
                self._timed("read", self._fetch, context, link, read=True)
        self._report_other_hosts()

    def _timed(self, way: str, visit: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        started = time.perf_counter()
        try:
            return visit(*args, **kwargs)
        finally:
            self.spent[way] = self.spent.get(way, 0) + time.perf_counter() - started
            self.spent[f"{way} pages"] = self.spent.get(f"{way} pages", 0) + 1

    def _skip(self, url: str) -> bool:
        if url.startswith(_SKIP_SCHEMES) or not self.same_host(url):
            return True
        path = urlsplit(url).path
        # Logging out and switching the language are POST forms; never follow them as links.
        return path.startswith(("/accounts/logout/", "/i18n/"))

    def _browse(self, page: Page, url: str, how: str) -> list[Offer]:
        """Open `url` in the browser; check the answer, the text, the requests, the width."""
        path = self.path(url)
        # The first page waits for everything it loads (fonts, icons: the same on every page);
        # the others only for their document: what they load is read from it as well.
        first = not self.visited
        response = page.goto(url, wait_until="load" if first else "domcontentloaded")
        self.visited.append(path)
        status = response.status if response is not None else 0
        if status >= 400:
            self.fail("status", path, path, f"answers {status} ({how})")
        self._landed(path, path, page.url)
        if "html" not in (response.headers.get("content-type", "") if response else ""):
            return []
        self._read(path, path, page.content(), loads_checked=False)
        if f"phone {pattern(url)}" not in self.shared:
            self.shared.add(f"phone {pattern(url)}")
            page.set_viewport_size(PHONE)  # type: ignore[arg-type]
            # Measured with the page's own fonts, as a phone shows it, not a fallback's widths.
            wider = page.evaluate(
                "document.fonts.ready.then(() => document.documentElement.scrollWidth)"
            )
            page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
            if wider > PHONE["width"]:
                self.fail("phone width", path, path, f"{wider} px wide at 390×844")
        offers: list[Offer] = page.evaluate(_OFFERS_JS)
        self._report_other_hosts()
        return offers

    def _landed(self, page: str, target: str, final_url: str) -> None:
        login = "/accounts/login/"
        if self.password is not None and urlsplit(final_url).path == login != urlsplit(target).path:
            self.fail("status", page, target, "sends a logged-in user to the login page")

    def _fetch(self, context: BrowserContext, link: Link, *, read: bool) -> list[Link]:
        """Fetch a link the page offered; read it if asked; return the links it offers."""
        target = self.path(link.url)
        self.visited.append(target)
        headers = {"HX-Request": "true"} if link.fragment else {}
        where = f"{link.offered_by} [{link.label}]" if link.label else link.offered_by
        response: APIResponse = context.request.get(
            link.url, headers=headers, max_redirects=10, fail_on_status_code=False
        )
        try:
            if response.status >= 400:
                self.fail("status", where, target, f"answers {response.status}")
                return []
            self._landed(where, target, response.url)
            kind = response.headers.get("content-type", "")
            if "html" in kind and not read:
                return []
            if "html" in kind:
                page = self._read(where, target, response.text(), loads_checked=False)
                return [
                    Link(urldefrag(urljoin(response.url, href))[0], label, target)
                    for href, label in page.buttons
                ]
            if f"scanned {link.url}" in self.shared:
                return []  # the same file for every login: read once
            self.shared.add(f"scanned {link.url}")
            document = _document_text(kind, response.body())
            for address in relative_check_addresses(document):
                self.fail("relative check address", where, target, f"prints {address!r}")
            return []
        finally:
            response.dispose()

    def _read(self, where: str, target: str, html: str, *, loads_checked: bool) -> HtmlPage:
        page = read_html(html)
        words: dict[str, list[str]] = {}
        # The API's pages are for programmers, in the API's own terms.
        for origin, text in [] if target.startswith("/api/") else page.texts:
            for problem in word_problems(text, self.names):
                words.setdefault(problem, []).append(origin)
            if origin == "text":
                for address in relative_check_addresses(text):
                    self.fail("relative check address", where, target, f"shows {address!r}")
        for problem, origins in words.items():
            kind = "code" if problem.startswith("code") else "English"
            places = "" if set(origins) == {"text"} else f" (in {', '.join(sorted(set(origins)))})"
            self.fail(kind, where, target, f"{problem}{places}")
        if not loads_checked:  # the browser watched its own requests; here, read the HTML
            for ref in page.loads:
                if ref.startswith(_SKIP_SCHEMES):
                    continue
                absolute = urljoin(self.base_url + target, ref)
                if not self.same_host(absolute):
                    self.fail("other host", where, target, f"loads {absolute}")
        return page


def _document_text(content_type: str, body: bytes) -> str:
    """The text of a downloaded DOCX or PDF (other downloads have none to check)."""
    if "wordprocessingml" in content_type:
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as docx:
                xml = " ".join(
                    docx.read(n).decode("utf-8", "replace")
                    for n in docx.namelist()
                    if n.startswith("word/") and n.endswith(".xml")
                )
        except zipfile.BadZipFile:
            return ""
        return " ".join(re.sub(r"<[^>]+>", "", xml).split())
    if "pdf" in content_type or body[:5] == b"%PDF-":
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(body))
        return " ".join(p.extract_text() or "" for p in reader.pages)
    return ""


def report(failures: list[Failure], visited: int) -> str:
    """One readable list by kind of failure: each page and link once, with the logins that met
    it and everything found there."""
    names = {
        "login": "cannot log in",
        "status": "403/404/500 (or the login page) behind a link the page offered",
        "English": "untranslated English in the page's text",
        "code": "raw codes in the page's text",
        "other host": "loaded from another host",
        "relative check address": "document check address without scheme and host (each file"
        " is read by the first login that reaches it)",
        "phone width": "wider than a phone (390×844; each kind of page measured once, for the"
        " first login that opens it)",
    }
    roles: dict[tuple[str, str, str, str], set[str]] = {}
    for f in failures:
        roles.setdefault((f.kind, f.page, f.target, f.detail), set()).add(f.role)
    grouped: dict[tuple[str, str, str, tuple[str, ...]], list[str]] = {}
    for (kind, page, target, detail), logins in sorted(roles.items()):
        grouped.setdefault((kind, page, target, tuple(sorted(logins))), []).append(detail)
    lines = [f"{len(failures)} problems on {visited} pages visited:"]
    for kind, title in names.items():
        these = [(k, v) for k, v in grouped.items() if k[0] == kind]
        if these:
            lines.append(f"\n== {title} ({sum(len(v) for _, v in these)}) ==")
        for (_, page, target, who), details in these:
            where = page if page == target else f"{page} → {target}"
            lines.append(f"  [{', '.join(who)}] {where}: {'; '.join(details)}")
    return "\n".join(lines)
