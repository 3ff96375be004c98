"""Laws cited as official documents cite them: the full name in book-title marks, no year in
brackets — 《中华人民共和国安全生产法》第二十八条第一款, not 中华人民共和国安全生产法（2021）
第二十八条第一款 or 安全生产法第二十八条. The version in force is a matter of the act's date
(the benchmark applied), not of the citation's wording.
"""

from __future__ import annotations

import re

# National laws often written by their short name.
FULL_NAMES = {
    name: "中华人民共和国" + name
    for name in (
        "安全生产法", "行政处罚法", "行政强制法", "行政复议法", "行政诉讼法", "矿山安全法",
        "消防法", "特种设备安全法", "职业病防治法", "突发事件应对法", "刑法",
    )
}  # fmt: skip

_NAME = r"[\u4e00-\u9fff]{2,30}?(?:法|条例|规程|规定|办法|细则)"
_YEAR = r"（\d{4}[^）]{0,6}）"
# A name already in marks, with a year after it: 《煤矿安全规程》（2022）.
_MARKED_YEAR = re.compile(r"》" + _YEAR)
# An unmarked name (optionally with a year) at the start of a citation, before 第…条.
_UNMARKED = re.compile(r"(^|[；;、，,\s和及与])(" + _NAME + r")(?:" + _YEAR + r")?(?=第)")


def _marked(match: re.Match[str]) -> str:
    name = match.group(2)
    return f"{match.group(1)}《{FULL_NAMES.get(name, name)}》"


def law_citation(text: str) -> str:
    """`text` (one or more citations) with every law in 《》 under its full name, no year."""
    text = _MARKED_YEAR.sub("》", text or "")
    text = _UNMARKED.sub(_marked, text)
    return re.sub(
        r"《([^《》]+)》", lambda m: f"《{FULL_NAMES.get(m.group(1), m.group(1))}》", text
    )
