"""The draw's life (N3.3), declared as data. There is no way back and no way to delete:

    draft ──commit──> committed ──draw──> drawn
      (edit freely)    (directory hash and commitment published; secret held)
                                          (secret revealed, selection and assignment published)

A redo is a new draw that names the first (`redo_of`) and says why; both stay published. A draft
that was never committed may be abandoned (`abandon`), which is recorded but publishes nothing,
because nothing about it was ever public.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DrawStatus(models.TextChoices):
    DRAFT = "draft", _("Being configured")
    COMMITTED = "committed", _("Committed")
    DRAWN = "drawn", _("Drawn")
    ABANDONED = "abandoned", _("Abandoned before commitment")


class StrataBy(models.TextChoices):
    INDUSTRY = "industry", _("Industry")
    REGION = "region", _("County")
    INDUSTRY_REGION = "industry_region", _("Industry and county")
