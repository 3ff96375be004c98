"""`{{ text|public_text }}`: free text typed by an officer, masked before a member of the public
reads it (a revocation reason, a redo reason). The one masking service does the work."""

from __future__ import annotations

from django import template

from anjian.core.masking import mask_text

register = template.Library()


@register.filter
def public_text(value: object) -> str:
    return mask_text(str(value)) if value else ""
