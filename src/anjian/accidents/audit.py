"""The audit trail's words for accident reports (registered from apps.py). The codes start with
`accident.`; `accident.reported_late` and `accident.concealed` are read by credit
(docs/accidents.md). No event carries the reporter's name or phone."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from anjian.core.audit_labels import register_actions, register_model


def register() -> None:
    from anjian.accidents.models import AccidentReport

    register_actions(
        "accident",
        _("Accident reports"),
        {
            "accident.received": _("Accident report received"),
            "accident.reported_late": _("Accident reported after the deadline"),
            "accident.opened": _("Accident report read by a level"),
            "accident.forwarded": _("Accident report forwarded to the level above"),
            "accident.supplemented": _("Change in casualties reported"),
            "accident.concealed": _("Accident found concealed or falsely reported"),
        },
    )
    register_model(AccidentReport, lambda r: str(r), related=("entity",))
