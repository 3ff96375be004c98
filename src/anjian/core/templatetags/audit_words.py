"""`{% audit_labelled events as rows %}`: audit events with their words, for any page that
lists them (the audit trail, a home page), names resolved once for the whole list."""

from __future__ import annotations

from typing import Any

from django import template

from anjian.core.audit_labels import label_events

register = template.Library()


@register.simple_tag
def audit_labelled(events: Any) -> list[Any]:
    return label_events(events)
