from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.evidence.subjects import entity_subject_register


@pytest.fixture(autouse=True)
def entity_takes_evidence() -> Iterator[None]:
    undo = entity_subject_register()
    yield
    undo()


@pytest.fixture(autouse=True)
def evidence_dir(settings, tmp_path: Path) -> Path:
    """Each test stores its files in a fresh directory."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "evidence"
