"""The entity name search: normalised text and its bigrams.

A name is normalised (NFKC, case-folded, spaces removed) and cut into overlapping two-character
pieces; each distinct piece is stored as one integer (two code points side by side) in
`EntityNameGram`. A query of two or more characters needs every one of its bigrams to be present,
and the candidates are then checked against the full normalised text, so the answer is exactly
"the name contains the query" — the index only makes it fast. Why this and not pg_trgm or FTS5:
docs/decisions/0004-entity-search-bigram-table.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPACE = re.compile(r"\s+")
# Separates the name from former names in search_text, so that no query matches across them.
SEPARATOR = "\x1f"


def search_normalise(text: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def search_text_of(name: str, former_names: Iterable[str]) -> str:
    parts = [search_normalise(name)] + [search_normalise(n) for n in former_names if n]
    return SEPARATOR.join(p for p in parts if p)


def gram_code(pair: str) -> int:
    """Two characters as one 42-bit integer (code points are at most 21 bits)."""
    return (ord(pair[0]) << 21) | ord(pair[1])


def grams_of(search_text: str) -> set[int]:
    """The distinct bigrams of each part of an entity's search text."""
    out: set[int] = set()
    for part in search_text.split(SEPARATOR):
        for i in range(len(part) - 1):
            out.add(gram_code(part[i : i + 2]))
    return out


def query_grams(query: str) -> list[int]:
    """The distinct bigrams of a normalised query, in query order (empty for one character)."""
    seen: dict[int, None] = {}
    for i in range(len(query) - 1):
        seen.setdefault(gram_code(query[i : i + 2]), None)
    return list(seen)


_USCC_CHARS = re.compile(r"^[0-9a-z]+$")


def looks_like_code(query: str) -> bool:
    """Letters and digits only: search the credit code as well as the name."""
    return bool(_USCC_CHARS.match(query))
