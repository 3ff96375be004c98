"""The gate's reading rules (crawl.py), without a browser: what it flags and what it leaves.

A gate that cries wolf is switched off; one that misses `cases.case 4` is no gate. These pin
both sides on the shapes the pages really show.
"""

from __future__ import annotations

from tests.browser.crawl import pattern, read_html, relative_check_addresses, word_problems


def text_of(html: str) -> str:
    return read_html(html).texts[0][1]


def test_codes_and_english_words_are_flagged() -> None:
    assert word_problems("案件 cases.case 4 已更新") == ["code 'cases.case'"]
    assert word_problems("严重 · order_correction、fine") == [
        "code 'order_correction'",
        "English 'fine'",
    ]
    assert word_problems("entities.entity.updated") == ["code 'entities.entity.updated'"]
    assert word_problems("来源 web") == ["English 'web'"]
    # A receipt number's shape does not make any capitals a code.
    assert word_problems("状态 PENDING-REVIEW") == ["English 'PENDING'", "English 'REVIEW'"]


def test_latin_a_chinese_reader_expects_is_left_alone() -> None:
    shown = (
        "统一社会信用代码 91140603MA0K7TQX2R，（晋）MK安许证字〔2025〕0005号，"
        "（晋）YHL〔2025〕1406030001，（晋朔平）应急罚〔2026〕3号，GB 6722-2014、AQ/T 9006，"
        "导出 Excel、CSV、XLSX、PDF 和 DOCX，名单.xlsx，SHA-256 哈希 9f2c0d1e4b5a6c7d，"
        "核验码 0JF8-67X9-Q17M-YRMD，信用等级 B级，/api/audit/head，"
        "回执编号 JB-PCMYG-MWXCE，查询码 QWER-TYPA-SDFG-HJKM-NBVC，"
        "http://127.0.0.1:8000/portal/documents/0JF867X9Q17MYRMD/"
    )
    assert word_problems(shown) == []
    assert word_problems("登录名 pl_inspector", frozenset({"pl_inspector"})) == []


def test_a_code_beside_its_chinese_meaning_is_for_machines_alone_it_is_the_text() -> None:
    beside = "<table><tr><td>登录成功 <code>accounts.login.succeeded</code></td></tr></table>"
    alone = "<table><tr><td><code>accounts.login.succeeded</code></td><td>成功</td></tr></table>"
    assert word_problems(text_of(beside)) == []
    assert word_problems(text_of(alone)) == ["code 'accounts.login.succeeded'"]
    # A raw payload in <pre> with no Chinese caption in its element is read as text.
    assert word_problems(text_of("<dd><pre>{'ip': '1.2.3.4'}</pre></dd>")) == ["English 'ip'"]


def test_what_the_browser_does_not_show_is_not_read() -> None:
    page = read_html(
        "<script>var x = 'cases.case';</script><style>.a{}</style>"
        '<select name="language"><option>简体中文</option><option>English</option></select>'
        '<input placeholder="请输入 name">'
    )
    assert word_problems(page.texts[0][1]) == []
    assert ('placeholder="…"', "请输入 name") in page.texts  # placeholders are read


def test_only_a_check_address_with_scheme_and_host_is_one_a_reader_can_type() -> None:
    assert relative_check_addresses("核验地址：/portal/documents/0JF867X9Q17MYRMD/") == [
        "/portal/documents/0JF867X9Q17MYRMD/"
    ]
    assert relative_check_addresses("127.0.0.1:8000/portal/documents/AB12/") != []
    assert relative_check_addresses("https://jg.example.gov.cn/portal/documents/AB12/") == []


def test_one_pattern_per_kind_of_page() -> None:
    assert pattern("http://h/entities/91140603MA0K7TQX2R/") == pattern("http://h/entities/9114/")
    assert pattern("http://h/documents/2.pdf") != pattern("http://h/documents/2.docx")
    assert pattern("http://h/tasks/?by=plan") == pattern("http://h/tasks/?by=region")
    assert pattern("http://h/tasks/?by=plan") != pattern("http://h/tasks/")
