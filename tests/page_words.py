"""What a Chinese reader would see as left untranslated in a page: English words and codes.

`untranslated_words(html)` returns the offending tokens of the page's visible text (tags,
attributes, scripts and styles removed): a word of three or more Latin letters with a
lower-case letter in it (`Documents`, `system`) unless it is a name the page may show as is
(Excel, macOS…); a dotted code (`cases.case`, `accounts.login.succeeded`); a snake_case code
(`order_correction`). Upper-case abbreviations (USCC, PDF, DOCX, API, ID, URL, SHA-256, HTMX,
GB/T) and codes written with digits and hyphens (AQF-97-3) pass. `allowed` adds tokens that are
data rather than words, such as the user names a page lists.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable

# Commands a page names for the reader to run, removed before the check.
COMMANDS = ("anjian audit verify",)
NAMES = {"Excel", "English", "macOS", "Windows", "Linux", "Mac", "anjian", "Mach", "Office"}
_INVISIBLE = re.compile(r"<(script|style|template|noscript)\b.*?</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")
_DOTTED = re.compile(r"(?<![\w./@-])[a-z][a-z_]*(?:\.[a-z_]+)+(?![\w/@-])")
_SNAKE = re.compile(r"(?<![\w./-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w./-])")
_WORD = re.compile(r"(?<![\w./@-])[A-Za-z]{3,}(?![\w/@-])")


def visible_text(page: str) -> str:
    text = html_lib.unescape(_TAG.sub(" ", _INVISIBLE.sub(" ", page)))
    for command in COMMANDS:
        text = text.replace(command, " ")
    return text


def untranslated_words(page: str, allowed: Iterable[str] = ()) -> list[str]:
    text = visible_text(page)
    ok = set(allowed) | NAMES
    found = [m for m in _DOTTED.findall(text) if m not in ok]
    found += [m for m in _SNAKE.findall(text) if m not in ok]
    found += [m for m in _WORD.findall(text) if m not in ok and not m.isupper()]
    return sorted(set(found))
