"""Where issued documents are kept: the storage alias "documents" (settings.STORAGES). By default
a directory `documents/` under MEDIA_ROOT, resolved when first used so test settings apply."""

from __future__ import annotations

import os
from functools import cached_property

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class DocumentFileStorage(FileSystemStorage):
    @cached_property
    def base_location(self) -> str:
        location = getattr(self, "_location", None)
        return str(location or os.path.join(str(settings.MEDIA_ROOT), "documents"))


def document_storage() -> Storage:
    return storages["documents"]
