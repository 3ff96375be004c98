"""Pages of the verifiable log: the public list of checkpoints, the administrators' alerts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.auditlog import selectors, services
from anjian.auditlog.keys import log_vkey_or_empty


def portal_checkpoints(request: HttpRequest) -> HttpResponse:
    """Public: every signed checkpoint, latest first, with its witnesses' cosignatures."""
    checkpoints = list(selectors.checkpoint_list()[:100])
    rows = [(c, services.checkpoint_note(c)) for c in checkpoints]
    return render(
        request,
        "auditlog/portal_checkpoints.html",
        {"rows": rows, "vkey": log_vkey_or_empty(), "algorithm": selectors.algorithm()},
    )


def _may_see_alerts(request: HttpRequest) -> None:
    """The platform's log is the province's: its system and audit administrators answer for
    it (a county's administrator neither sees nor closes its alerts)."""
    if not selectors.may_see_fork_alerts(request.user):
        raise PermissionDenied


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    _may_see_alerts(request)
    return render(request, "auditlog/alerts.html", {"alerts": selectors.fork_alerts_open()})


@require_POST
@login_required
def alert_close(request: HttpRequest, pk: int) -> HttpResponse:
    _may_see_alerts(request)
    alert = get_object_or_404(selectors.fork_alerts_open(), pk=pk)
    services.fork_alert_close(actor=request.user, alert=alert)
    messages.success(request, _("The alert is closed; the audit trail records who closed it."))
    return redirect("auditlog:alerts")
