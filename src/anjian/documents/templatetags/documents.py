"""The enforcement documents of a page's records, for pages of the apps that issue them:

{% load documents %}
{% documents_panel record orders %}     a card listing each document the viewer may open

Arguments are records or iterables of records (a list, a queryset). The documents app renders
the panel, so inspections and cases need not import it: a page that loads this library only
needs the documents app installed, which is what issued the documents in the first place.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.db import models

from anjian.accounts.roles import Capability
from anjian.documents.selectors import documents_visible_for

register = template.Library()


def _subjects(args: Iterable[Any]) -> list[models.Model]:
    out: list[models.Model] = []
    for arg in args:
        if isinstance(arg, models.Model):
            out.append(arg)
        elif isinstance(arg, Iterable) and not isinstance(arg, str | bytes):
            out.extend(a for a in arg if isinstance(a, models.Model))
    return out


@register.inclusion_tag("documents/_panel.html", takes_context=True)
def documents_panel(context: Any, *subjects: Any) -> dict[str, Any]:
    request = context["request"]
    user = request.user
    docs = documents_visible_for(user, _subjects(subjects))
    # The revoke form is offered only to who may revoke: the issuing bureau's own staff with
    # the capability (documents.services.document_revoke).
    may_revoke = bool(getattr(user, "can", None) and user.can(Capability.DOCUMENTS_REVOKE))
    for d in docs:
        d.may_revoke = may_revoke and d.bureau_id == getattr(user, "bureau_id", None)  # type: ignore[attr-defined]
    return {
        "documents": docs,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
