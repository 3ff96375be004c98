"""Every relative link and file path in README.md and docs/ names a file a clone has.

A newcomer follows the README from a fresh clone: a link to a file that moved, or to a folder
outside the repository (../shared/...), is a dead end. Markdown links resolve from the file that
holds them; bare paths (`src/anjian/demo.py`, docs/cases.md) from the repository's root, or from
the file when they start with ./ or ../. Web addresses and #anchors are not checked here.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]

_LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# A path into the repository's own folders, or any relative path up and out (../x): the second
# kind is what a clone lacks.
_BARE = re.compile(
    r"(?<![\w./-])((?:\.\.?/)*(?:docs|src|tests|scripts|bench|\.ci)/[\w.*/-]*[\w*]"
    r"|(?:\.\./)+[\w.*/-]*[\w*])"
)
# Runtime folders the application creates; a guide may name them, a clone does not hold them.
_RUNTIME = ("var/", "node_modules/", ".venv/")


def _targets(document: Path) -> list[tuple[str, Path]]:
    text = document.read_text(encoding="utf-8")
    found: list[tuple[str, Path]] = []
    for target in _LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith(("#", "/")):
            continue  # a web address, an anchor, or an address on the running application
        path = target.split("#", 1)[0].split("?", 1)[0]
        found.append((target, document.parent / path))
    # docs/spec/ is the specification as we received it: its bare paths name files of the
    # projects it learns from (STYLE.md), so only its links are ours to keep.
    spec = document.is_relative_to(ROOT / "docs" / "spec")
    for path in [] if spec else _BARE.findall(_LINK.sub(" ", text)):
        if path.startswith(_RUNTIME) or "{" in path or "<" in path:
            continue
        base = document.parent if path.startswith(("./", "../")) else ROOT
        found.append((path, base / path))
    return found


def _named_tests(document: Path) -> list[tuple[str, str]]:
    """(file, name) for every `file::name` and every `::name` after a file on the same line."""
    found = []
    for line in document.read_text(encoding="utf-8").splitlines():
        current = None
        for match in re.finditer(r"`((?:tests|src|bench)/[\w/.-]+\.py)?((?:::\w+)*)`", line):
            current = match.group(1) or current
            for name in filter(None, match.group(2).split("::")):
                if current is not None:
                    found.append((current, name))
    return found


def _exists(path: Path) -> bool:
    if "*" in str(path):
        return any(path.parent.glob(path.name))
    return path.exists()


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: str(d.relative_to(ROOT)))
def test_every_relative_link_names_a_file_in_the_repository(document: Path) -> None:
    missing = [
        target
        for target, path in _targets(document)
        if not _exists(path) or not path.resolve().is_relative_to(ROOT)
    ]
    assert not missing, f"{document.relative_to(ROOT)} names what a clone lacks: {missing}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: str(d.relative_to(ROOT)))
def test_every_test_a_document_names_is_in_its_file(document: Path) -> None:
    """docs/CLAUSES-STATUS.md shows each clause by tests: a renamed test leaves it unproven."""
    missing = []
    for file, name in _named_tests(document):
        path = ROOT / file
        source = path.read_text(encoding="utf-8") if path.exists() else ""
        if not re.search(rf"^\s*(?:def|class) {name}\b|^{name}\s*[:=]", source, re.MULTILINE):
            missing.append(f"{file}::{name}")
    assert not missing, f"{document.relative_to(ROOT)} names tests that are not there: {missing}"


def test_the_check_reads_links_and_bare_paths() -> None:
    """The reader sees both kinds, and a missing or outside file would fail."""
    readme = dict(_targets(ROOT / "README.md"))
    assert "docs/data-scope.md" in readme  # a Markdown link
    assert "src/anjian/demo.py" in readme  # a bare path
    assert not _exists(ROOT / "docs" / "no-such-file.md")
    assert not (ROOT / ".." / "shared").resolve().is_relative_to(ROOT)
    named = _named_tests(ROOT / "docs" / "CLAUSES-STATUS.md")
    test = "test_only_the_province_maintains_the_catalog"  # a `::name` after its file
    assert ("tests/catalog/test_services.py", test) in named
