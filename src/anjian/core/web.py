"""Small helpers shared by the page views of every app."""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property, wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.forms import Form
from django.http import HttpRequest

from anjian.core.errors import ServiceError


def htmx_partial(request: HttpRequest) -> bool:
    """True when HTMX asks for a fragment rather than a whole page."""
    return (
        request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"
    )


def capability_required(capability: Any) -> Callable[[Callable[..., Any]], Any]:
    """Log in first; then a role without the capability gets 403 (scope errors are 404)."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not request.user.can(capability):  # type: ignore[union-attr]
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded = login_required(wrapped)
        # Read by the tests that check a page offers no form or link its viewer would be
        # refused (the decorators above this one copy it along).
        guarded.capability = capability  # type: ignore[attr-defined]
        return guarded

    return decorator


def form_apply_service_error(form: Form, exc: ServiceError) -> None:
    """Show a service's refusal on the form: per field where it names one, else on top."""
    placed = False
    for field, messages in exc.fields.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, str(message))
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


def message_service_error(request: HttpRequest, exc: ServiceError) -> None:
    """Show a service's refusal of a button (no form to mark) as an error message: the field
    reasons if it gave any, else its message."""
    from django.contrib import messages

    messages.error(request, "；".join(exc.reasons()))


def button_step_run(request: HttpRequest, calls: dict[str, Callable[[], Any]], action: str) -> None:
    """Run the step a page's button names, one of `calls` (an unknown one is 404), and tell the
    user the outcome: done, or the service's reasons."""
    from django.contrib import messages
    from django.http import Http404
    from django.utils.translation import gettext as _

    if action not in calls:
        raise Http404
    try:
        calls[action]()
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("Done."))


class CappedPaginator(Paginator):
    """Counts at most `cap` + 1 rows: a search that matches half a million entities shows
    "more than 10,000" at once instead of counting them all on every keystroke."""

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        cap: int,
        counter: Callable[[int], int] | None = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap
        self.counter = counter  # `counter(cap)`: a cheaper count of the same rows, when known

    @cached_property
    def count(self) -> int:
        if self.counter is not None:
            return self.counter(self.cap)
        return int(self.object_list[: self.cap + 1].count())  # type: ignore[attr-defined]

    @property
    def capped(self) -> bool:
        return self.count > self.cap


def paginate(
    request: HttpRequest,
    queryset: Any,
    per_page: int = 50,
    count_cap: int | None = None,
    counter: Callable[[int], int] | None = None,
) -> Page:
    """Page-number pagination for pages (the API uses keyset cursors instead). With
    `count_cap`, the count stops at cap + 1, and `counter(cap)` may give it more cheaply."""
    if count_cap:
        paginator: Paginator = CappedPaginator(queryset, per_page, count_cap, counter)
    else:
        paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


class BootstrapFormMixin:
    """Give every widget Bootstrap's classes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            kind = widget.__class__.__name__
            # A single checkbox with form-control drew as an empty full-width bar.
            if kind in ("CheckboxSelectMultiple", "RadioSelect", "CheckboxInput"):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            is_select = kind in ("Select", "SelectMultiple")
            widget.attrs["class"] = "form-select" if is_select else "form-control"
