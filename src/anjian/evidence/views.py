"""Evidence pages: download (scoped), and the upload and withdrawal endpoints that pages of other
apps target from the `evidence/_upload.html` and `evidence/_list.html` fragments.

The endpoints answer an HTMX request with the refreshed list fragment, and a plain form post
with a redirect back to the page it came from (`next`), so the form works without JavaScript.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from anjian.accounts.roles import Capability
from anjian.core.errors import NotFound, NotPermitted, ServiceError
from anjian.core.web import capability_required, htmx_partial
from anjian.evidence import selectors, services
from anjian.evidence.filetypes import BY_CONTENT_TYPE
from anjian.evidence.registry import evidence_subject_get
from anjian.evidence.storage import evidence_storage

log = logging.getLogger(__name__)
_CHUNK = 1 << 20
_LIST_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")


@capability_required(Capability.WORKSPACE)
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    return evidence_response(selectors.evidence_get_visible(request.user, pk))


def evidence_response(evidence: Any) -> HttpResponseBase:
    """The attachment's bytes, once they are checked against the SHA-256 they are stored under:
    bytes altered in storage are never handed out (`anjian audit verify` names them too). The
    caller has checked the user may see `evidence`; the enterprise's own download uses this."""
    storage = evidence_storage()
    path = evidence.stored_file.path
    try:
        with storage.open(path, "rb") as check:
            digest = hashlib.sha256()
            while chunk := check.read(_CHUNK):
                digest.update(chunk)
        fh = storage.open(path, "rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    if digest.hexdigest() != evidence.sha256:
        fh.close()
        log.error("evidence %s: stored bytes do not match %s", evidence.pk, evidence.sha256)
        return HttpResponse(
            _("The stored file does not match its hash; it has been altered."),
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    kind = BY_CONTENT_TYPE.get(evidence.content_type)
    inline = bool(kind and kind.inline)
    response = FileResponse(fh, content_type=evidence.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=not inline, filename=evidence.original_name) or ""
    )
    response["Content-Length"] = str(evidence.size)
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were tricked into rendering the bytes as a page, nothing runs.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    response["ETag"] = f'"{evidence.sha256}"'
    return response


def _subject(request: HttpRequest, subject_type: str, subject_id: str) -> Any:
    registration = evidence_subject_get(subject_type)
    if registration is None:
        raise Http404
    record = registration.get_visible(request.user, subject_id)
    if record is None:
        raise Http404
    return registration, record


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("accounts:home")
    return redirect(target)


def _list_fragment(
    request: HttpRequest, registration: Any, record: Any, errors: list[str]
) -> HttpResponse:
    list_id = request.POST.get("list_id", "")
    return render(
        request,
        "evidence/_list.html",
        {
            "evidence_items": selectors.evidence_for(record),
            "evidence_list_id": list_id if _LIST_ID.match(list_id) else "evidence-list",
            "evidence_can_withdraw": registration.may_attach(request.user, record),
            "evidence_errors": errors,
            "evidence_next": request.POST.get("next", ""),
        },
    )


@require_POST
@capability_required(Capability.WORKSPACE)
def evidence_upload(request: HttpRequest, subject_type: str, subject_id: str) -> HttpResponse:
    """Attach the posted files (field `files`, several allowed) with one caption."""
    registration, record = _subject(request, subject_type, subject_id)
    if not registration.may_attach(request.user, record):
        raise PermissionDenied
    files = request.FILES.getlist("files")
    caption = request.POST.get("caption", "")
    errors: list[str] = []
    added = 0
    if not files:
        errors.append(_("Choose at least one file."))
    for upload in files:
        try:
            services.evidence_add(
                request.user,
                upload=upload,
                subject=record,
                region=registration.region_of(record),
                caption=caption,
            )
        except NotFound:
            raise Http404 from None
        except NotPermitted:
            raise PermissionDenied from None
        except ServiceError as exc:
            errors.extend(str(m) for ms in exc.fields.values() for m in ms)
            if not exc.fields:
                errors.append(str(exc.message))
        else:
            added += 1
    if htmx_partial(request):
        return _list_fragment(request, registration, record, errors)
    for error in errors:
        messages.error(request, error)
    if added:
        messages.success(
            request,
            ngettext("%(n)d file added as evidence.", "%(n)d files added as evidence.", added)
            % {"n": added},
        )
    return _back(request)


@require_POST
@capability_required(Capability.WORKSPACE)
def evidence_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = selectors.evidence_get_visible(request.user, pk)
    registration, record = _subject(request, evidence.subject_type, evidence.subject_id)
    errors: list[str] = []
    try:
        services.evidence_withdraw(
            request.user, evidence=evidence, reason=request.POST.get("reason", "")
        )
    except NotFound:
        raise Http404 from None
    except NotPermitted:
        raise PermissionDenied from None
    except ServiceError as exc:
        errors.extend(str(m) for ms in exc.fields.values() for m in ms)
        if not exc.fields:
            errors.append(str(exc.message))
    if htmx_partial(request):
        return _list_fragment(request, registration, record, errors)
    for error in errors:
        messages.error(request, error)
    if not errors:
        messages.success(request, _("The evidence is marked withdrawn; it is kept."))
    return _back(request)
