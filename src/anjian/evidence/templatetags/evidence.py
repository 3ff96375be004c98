"""Template tags for pages that show and take evidence of their records:

{% load evidence %}
{% evidence_panel finding %}                       list + upload form (if the user may attach)
{% evidence_panel finding list_id="finding-3" %}   several records on one page
{% evidence_upload_url finding as url %}           for a custom form
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from anjian.evidence.registry import evidence_subject_of, subject_key
from anjian.evidence.selectors import evidence_for

register = template.Library()


@register.simple_tag
def evidence_upload_url(record: Any) -> str:
    subject_type, subject_id = subject_key(record)
    return reverse(
        "evidence:evidence_upload", kwargs={"subject_type": subject_type, "subject_id": subject_id}
    )


@register.inclusion_tag("evidence/_panel.html", takes_context=True)
def evidence_panel(context: Any, record: Any, list_id: str = "evidence-list") -> dict[str, Any]:
    request = context["request"]
    registration = evidence_subject_of(record)
    can_attach = bool(registration and registration.may_attach(request.user, record))
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "evidence_items": evidence_for(record),
        "evidence_list_id": list_id,
        "evidence_can_attach": can_attach,
        "evidence_can_withdraw": can_attach,
        "upload_url": evidence_upload_url(record),
    }
