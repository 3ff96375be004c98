"""Where evidence bytes live: the Django storage alias "evidence", addressed by SHA-256.

A file's name in the storage is `ab/cd/<sha256>` (the first two pairs of hex digits as
directories, so no directory holds more than 65,536 entries of its level). The same bytes are
stored once, whatever their name and however often they are attached.

The default backend is `LocalEvidenceStorage` (below): a directory on the server,
`MEDIA_ROOT/evidence` unless `ANJIAN_EVIDENCE_DIR` says otherwise. `ANJIAN_EVIDENCE_STORAGE=s3`
selects django-storages' S3 backend instead (an optional dependency: `pip install
'anjian[s3]'`), configured in settings.py from the `ANJIAN_EVIDENCE_S3_*` variables
(docs/configuration.md).
"""

from __future__ import annotations

import os
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages

ALIAS = "evidence"


def evidence_storage() -> Storage:
    return storages[ALIAS]


def path_for(sha256: str) -> str:
    return f"{sha256[0:2]}/{sha256[2:4]}/{sha256}"


class LocalEvidenceStorage(FileSystemStorage):
    """A FileSystemStorage whose default directory is `MEDIA_ROOT/evidence`, read when first used
    (so a test run's MEDIA_ROOT applies), that never serves files by URL (the download view
    checks scope first), and that may overwrite: under a content address, the same name holds
    the same bytes."""

    def __init__(self, location: str | os.PathLike[str] | None = None, **kwargs: Any) -> None:
        self._evidence_location = location
        kwargs.setdefault("allow_overwrite", True)
        kwargs.setdefault("file_permissions_mode", 0o640)
        kwargs.setdefault("directory_permissions_mode", 0o750)
        super().__init__(location=location, base_url=None, **kwargs)

    @cached_property
    def base_location(self) -> str:
        if self._evidence_location is not None:
            return str(self._evidence_location)
        return os.path.join(settings.MEDIA_ROOT, ALIAS)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("evidence is served through the scoped download view only")
