"""The catalog's entries on an entity's profile timeline: the standards it declared (N2.2).

Declarations are public data (the standard and the date), so every viewer of the profile sees
them; the profile itself is already limited to the viewer's jurisdiction.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from anjian.catalog.models import StandardDeclaration
from anjian.catalog.selectors import entity_standard_declarations
from anjian.entities.models import Entity
from anjian.entities.timeline import TimelineEntry, profile_prefetch, timeline_provider


@profile_prefetch
def _declarations(user: Any) -> Prefetch:
    # Unscoped, as `entity_standard_declarations` reads them: public data.
    return Prefetch(
        "standard_declarations",
        queryset=StandardDeclaration.objects.select_related("standard").order_by(
            "-declared_on", "-id"
        ),
    )


@timeline_provider
def standard_declaration_entries(entity: Entity, user: Any) -> Iterable[TimelineEntry]:
    standards = reverse("catalog:standard_list")
    for declaration in entity_standard_declarations(entity=entity):
        standard = declaration.standard
        yield TimelineEntry(
            when=declaration.declared_on,
            kind="standard",
            label=pgettext("timeline", "Standard"),
            title=_("Standard declared: %(code)s") % {"code": standard.code},
            detail=standard.title,
            url=f"{standards}#std-{standard.pk}",
        )
