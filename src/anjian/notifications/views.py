"""The inbox: one's own notifications, newest first; reading one marks it read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from anjian.core.scope import get_visible_or_404
from anjian.core.web import paginate
from anjian.notifications import services
from anjian.notifications.models import Notification


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread = request.GET.get("unread") == "1"
    qs = Notification.objects.visible_to(request.user)
    if unread:
        qs = qs.unread()
    return render(
        request, "notifications/inbox.html", {"page": paginate(request, qs), "unread": unread}
    )


@require_POST
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark it read and follow its link (only a link within this site)."""
    n = get_visible_or_404(Notification.objects, request.user, pk=pk)
    services.mark_read(user=request.user, notification=n)
    if n.link and url_has_allowed_host_and_scheme(n.link, allowed_hosts={request.get_host()}):
        return redirect(n.link)
    return redirect("notifications:inbox")


@require_POST
@login_required
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(user=request.user)
    return redirect("notifications:inbox")
