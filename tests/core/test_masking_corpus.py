"""The masking service against a corpus of decision texts (tests/core/masking_corpus.py): every
string that must be hidden is gone, every string that must stay is there, and masking twice
changes nothing."""

from __future__ import annotations

import pytest

from anjian.core.masking import mask_text

from .masking_corpus import SAMPLES


def test_the_corpus_is_large_enough_to_mean_something() -> None:
    assert len(SAMPLES) >= 50
    assert len({s.name for s in SAMPLES}) == len(SAMPLES)


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.name for s in SAMPLES])
def test_a_published_text_hides_what_the_law_protects(sample) -> None:
    masked = mask_text(
        sample.text, persons=sample.persons, addresses=sample.addresses, keep=sample.keep
    )
    leaked = [h for h in sample.hidden if h in masked]
    lost = [s for s in sample.shown if s not in masked]
    assert not leaked, f"left in clear: {leaked}\n{masked}"
    assert not lost, f"masked although public: {lost}\n{masked}"
    assert (
        mask_text(masked, persons=sample.persons, addresses=sample.addresses, keep=sample.keep)
        == masked
    )
