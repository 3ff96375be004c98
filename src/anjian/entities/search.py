"""The entity name search: normalised text and its bigrams.

A name is normalised (NFKC, case-folded, spaces removed) and cut into overlapping two-character
pieces; each distinct piece is stored as one integer (two code points side by side) in
`EntityNameGram`. A query of two or more characters needs every one of its bigrams to be present,
and the candidates are then checked against the full normalised text, so the answer is exactly
"the name contains the query" — the index only makes it fast. Why this and not pg_trgm or FTS5:
docs/decisions/0004-entity-search-bigram-table.md.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence

_SPACE = re.compile(r"\s+")
# Separates the name from former names in search_text, so that no query matches across them.
SEPARATOR = "\x1f"


def search_normalise(text: str) -> str:
    if not unicodedata.is_normalized("NFKC", text):  # the check is much cheaper than the work
        text = unicodedata.normalize("NFKC", text)
    return _SPACE.sub("", text).casefold()


def search_text_of(name: str, former_names: Iterable[str]) -> str:
    parts = [search_normalise(name)] + [search_normalise(n) for n in former_names if n]
    return SEPARATOR.join(p for p in parts if p)


# Joins the names of many entities for one normalisation: not whitespace, unchanged by NFKC and
# case folding, a starter that composes with nothing (so no normalisation crosses it), and a
# control character, which no checked name holds.
_JOIN = "\x00"


def search_texts_of(names: Sequence[str], former_names: Sequence[Sequence[str]]) -> list[str]:
    """`search_text_of` of many entities: the names normalised as one text, split again. A
    Python call per name was a second of a million-row import. tests/entities/test_search.py
    holds it to `search_text_of`."""
    joined = _JOIN.join(names)
    parts = search_normalise(joined).split(_JOIN)
    if joined.count(_JOIN) != len(names) - 1 or len(parts) != len(names):
        parts = [search_text_of(name, ()) for name in names]  # a name held the joiner
    for i in itertools.compress(range(len(names)), former_names):
        parts[i] = search_text_of(names[i], former_names[i])
    return parts if names else []


def gram_code(pair: str) -> int:
    """Two characters as one 42-bit integer (code points are at most 21 bits)."""
    return (ord(pair[0]) << 21) | ord(pair[1])


# Bigrams of the legal-form words that end nearly every name (有限公司, 有限责任公司, 股份有限公司,
# 集团, 分公司). They narrow nothing, and leaving them out makes the index a third smaller. A
# query made only of them is answered by the substring check alone, which finds its many matches
# at once; a query that contains them is narrowed by its other bigrams.
STOP_GRAMS = frozenset(
    gram_code(pair)
    for pair in ("有限", "限公", "公司", "限责", "责任", "任公", "股份", "份有", "集团", "分公")
)


def grams_of(search_text: str) -> set[int]:
    """The distinct bigrams of each part of an entity's search text, stop bigrams left out."""
    out: set[int] = set()
    for part in search_text.split(SEPARATOR):
        for i in range(len(part) - 1):
            out.add((ord(part[i]) << 21) | ord(part[i + 1]))
    return out - STOP_GRAMS


def query_grams(query: str) -> list[int]:
    """The distinct indexed bigrams of a normalised query, in query order."""
    seen: dict[int, None] = {}
    for i in range(len(query) - 1):
        code = gram_code(query[i : i + 2])
        if code not in STOP_GRAMS:
            seen.setdefault(code, None)
    return list(seen)


_USCC_CHARS = re.compile(r"^[0-9a-z]+$")


def looks_like_code(query: str) -> bool:
    """Letters and digits only: search the credit code as well as the name."""
    return bool(_USCC_CHARS.match(query))
