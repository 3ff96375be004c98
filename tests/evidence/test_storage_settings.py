"""The "evidence" storage from the environment: local by default, S3 on request, bad values stop
start-up naming the variable."""

from __future__ import annotations

import importlib.util

import pytest
from django.core.exceptions import ImproperlyConfigured

from anjian.settings import _evidence_storage


def test_local_by_default_under_media_root(monkeypatch) -> None:
    monkeypatch.delenv("ANJIAN_EVIDENCE_STORAGE", raising=False)
    monkeypatch.delenv("ANJIAN_EVIDENCE_DIR", raising=False)
    assert _evidence_storage() == {
        "BACKEND": "anjian.evidence.storage.LocalEvidenceStorage",
        "OPTIONS": {},
    }
    monkeypatch.setenv("ANJIAN_EVIDENCE_DIR", "/srv/evidence")
    assert _evidence_storage()["OPTIONS"] == {"location": "/srv/evidence"}


def test_an_unknown_kind_stops_start_up(monkeypatch) -> None:
    monkeypatch.setenv("ANJIAN_EVIDENCE_STORAGE", "ftp")
    with pytest.raises(ImproperlyConfigured, match="ANJIAN_EVIDENCE_STORAGE='ftp'"):
        _evidence_storage()


def test_s3_without_the_optional_packages_says_what_to_install(monkeypatch) -> None:
    monkeypatch.setenv("ANJIAN_EVIDENCE_STORAGE", "s3")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    with pytest.raises(ImproperlyConfigured, match=r"anjian\[s3\]"):
        _evidence_storage()


def test_s3_needs_a_bucket_and_passes_the_store_settings(monkeypatch) -> None:
    monkeypatch.setenv("ANJIAN_EVIDENCE_STORAGE", "S3")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: object())
    monkeypatch.delenv("ANJIAN_EVIDENCE_S3_BUCKET", raising=False)
    with pytest.raises(ImproperlyConfigured, match="ANJIAN_EVIDENCE_S3_BUCKET"):
        _evidence_storage()
    monkeypatch.setenv("ANJIAN_EVIDENCE_S3_BUCKET", "anjian-evidence")
    monkeypatch.setenv("ANJIAN_EVIDENCE_S3_ENDPOINT_URL", "http://minio.internal:9000")
    config = _evidence_storage()
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    options = config["OPTIONS"]
    assert options["bucket_name"] == "anjian-evidence"
    assert options["endpoint_url"] == "http://minio.internal:9000"
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert options["location"] == "evidence"
