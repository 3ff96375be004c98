"""`anjian check --deploy`: what a production installation of the documents needs set."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


def public_base_url_check(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.ANJIAN_PUBLIC_BASE_URL:
        return []
    return [
        checks.Warning(
            "ANJIAN_PUBLIC_BASE_URL is not set: no enforcement document can be issued, because "
            "each one prints the absolute address of its public check page under its QR code.",
            hint="Set it to the portal's public address, e.g. https://jg.yjt.shanxi.gov.cn "
            "(docs/configuration.md).",
            id="anjian.documents.W001",
        )
    ]
