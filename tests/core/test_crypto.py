"""Encryption at rest: SM4-GCM values open only with their key and their context."""

from __future__ import annotations

import pytest

from anjian.core import crypto


def test_a_sealed_value_opens_to_the_same_text_and_hides_it():
    sealed = crypto.seal("王小明 142701199001011234", context="x.y.z")
    assert sealed.startswith("sm4gcm:")
    assert "王小明" not in sealed and "142701199001011234" not in sealed
    assert crypto.open_text(sealed, context="x.y.z") == "王小明 142701199001011234"


def test_the_same_text_seals_differently_each_time():
    assert crypto.seal("abc", context="c") != crypto.seal("abc", context="c")


def test_a_value_moved_to_another_column_does_not_open():
    sealed = crypto.seal("secret", context="draws.draw.secret")
    with pytest.raises(crypto.DecryptionError):
        crypto.open_text(sealed, context="complaints.report.body")


def test_a_flipped_byte_is_refused():
    sealed = crypto.seal("secret", context="c")
    head, _, blob = sealed.rpartition(":")
    flipped = blob[:-6] + ("A" if blob[-6] != "A" else "B") + blob[-5:]
    with pytest.raises(crypto.DecryptionError):
        crypto.open_text(f"{head}:{flipped}", context="c")


def test_rotation_keeps_old_values_readable(tmp_path, monkeypatch):
    keys = tmp_path / "keys"
    keys.write_text("old:" + "11" * 16 + "\n")
    monkeypatch.setenv("ANJIAN_DATA_KEY_FILE", str(keys))
    crypto.keyring.cache_clear()
    try:
        old = crypto.seal("v", context="c")
        keys.write_text("old:" + "11" * 16 + "\nnew:" + "22" * 16 + "\n")
        crypto.keyring.cache_clear()
        new = crypto.seal("v", context="c")
        assert old.startswith("sm4gcm:old:") and new.startswith("sm4gcm:new:")
        assert crypto.open_text(old, context="c") == "v"
    finally:
        crypto.keyring.cache_clear()


def test_a_malformed_key_file_names_the_line(tmp_path, monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    keys = tmp_path / "keys"
    keys.write_text("k1:zz\n")
    monkeypatch.setenv("ANJIAN_DATA_KEY_FILE", str(keys))
    crypto.keyring.cache_clear()
    try:
        with pytest.raises(ImproperlyConfigured, match=":1:"):
            crypto.seal("v", context="c")
    finally:
        crypto.keyring.cache_clear()
