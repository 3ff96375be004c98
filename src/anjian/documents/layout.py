"""The one structured layout both renderers draw (render.py): a document is a list of blocks.

The DOCX and the PDF of a document are made from the same list, so they say the same words in
the same order; only the typesetting engine differs. Formatting of dates and amounts the way
Chinese official documents write them lives here too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class Heading:
    """The issuing organ's full name, first line of the title (小标宋-like, 二号)."""

    text: str


@dataclass(frozen=True)
class Title:
    """The document's name, second line of the title."""

    text: str


@dataclass(frozen=True)
class Number:
    """The document number, under the title, on the right."""

    text: str


@dataclass(frozen=True)
class Paragraph:
    """Body text in 仿宋-like 三号. `label` is set in bold before the text (当事人：...).
    `indent`: the first line is indented by two characters, as body paragraphs are."""

    text: str
    label: str = ""
    indent: bool = True
    align: Align = "justify"


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # Relative column widths; as many as header cells.
    widths: tuple[int, ...] = ()


@dataclass(frozen=True)
class Signatures:
    """Blank lines for signatures on paper: each label gets a line and a date."""

    labels: tuple[str, ...]


@dataclass(frozen=True)
class Seal:
    """The place of the seal: the organ's name and the date, right, with room above for the
    stamp (印章 covers the date, GB/T 9704-2012 7.3.5.1)."""

    organ: str
    date: str
    # The bureau's electronic seal (PNG, documents/seals.py), stamped over the organ's name;
    # empty: the placeholder "（印章）" is printed.
    image: bytes = b""


@dataclass(frozen=True)
class Verification:
    """The foot of the last page: the QR code (to `url`), the code and the address."""

    code: str  # as printed, in groups of four
    url: str


Block = Heading | Title | Number | Paragraph | Table | Signatures | Seal | Verification


@dataclass(frozen=True)
class Layout:
    blocks: tuple[Block, ...]
    # Shown in the document's properties (PDF title, DOCX core properties).
    title: str = ""
    meta: dict[str, str] = field(default_factory=dict)

    def text(self) -> str:
        """All words of the document, one block per line: what both renderings must contain."""
        out: list[str] = []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                out.append(b.label + b.text)
            elif isinstance(b, Table):
                out.extend("\t".join(r) for r in (b.header, *b.rows))
            elif isinstance(b, Signatures):
                out.extend(b.labels)
            elif isinstance(b, Seal):
                out.extend([b.organ, b.date])
            elif isinstance(b, Verification):
                out.extend([b.code, b.url])
            else:
                out.append(b.text)
        return "\n".join(out)


def date_cn(value: datetime.date) -> str:
    """2026年3月5日: official documents write dates in Arabic figures without leading zeros
    (GB/T 9704-2012 7.3.5.1)."""
    return f"{value.year}年{value.month}月{value.day}日"


def datetime_cn(value: datetime.datetime) -> str:
    """2026年3月5日9时05分."""
    return f"{date_cn(value.date())}{value.hour}时{value.minute:02d}分"


_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ["", "拾", "佰", "仟"]
_BIG_UNITS = ["", "万", "亿", "万亿"]


def _four_digits(n: int) -> str:
    """0 < n < 10000 in capitals, with inner zeros read once (1005: 壹仟零伍)."""
    out = ""
    zero = False
    for pos in range(3, -1, -1):
        d = n // 10**pos % 10
        if d == 0:
            zero = bool(out)
        else:
            if zero:
                out += "零"
                zero = False
            out += _DIGITS[d] + _SMALL_UNITS[pos]
    return out


def amount_upper(amount: Decimal | int | str) -> str:
    """An amount of yuan in financial capitals (大写), as payment documents require:
    50000 -> 伍万元整; 10500.50 -> 壹万零伍佰元伍角; 0.05 -> 伍分."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        raise ValueError("negative amount")
    fen_total = int(value * 100)
    yuan, fen_part = divmod(fen_total, 100)
    jiao, fen = divmod(fen_part, 10)
    out = ""
    if yuan:
        groups: list[int] = []
        while yuan:
            yuan, g = divmod(yuan, 10000)
            groups.append(g)
        need_zero = False
        for i in range(len(groups) - 1, -1, -1):
            g = groups[i]
            if g == 0:
                need_zero = bool(out)
                continue
            if out and (need_zero or g < 1000):
                out += "零"
            out += _four_digits(g) + _BIG_UNITS[i]
            need_zero = False
        out += "元"
    if not jiao and not fen:
        return (out or "零元") + "整"
    if jiao:
        out += _DIGITS[jiao] + "角"
    elif out:
        out += "零"
    if fen:
        out += _DIGITS[fen] + "分"
    return out


def amount_figures(amount: Decimal | int | str) -> str:
    """50000 -> 50000元; 10500.5 -> 10500.50元 (figures, no thousands separator, as the
    published decisions write them)."""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value == value.to_integral_value():
        return f"{int(value)}元"
    return f"{value}元"
