"""Downloads of issued documents (staff, scoped) and the public check page (anyone)."""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anjian.accounts.roles import Capability
from anjian.core.errors import ServiceError
from anjian.core.web import capability_required, message_service_error
from anjian.documents import selectors, services
from anjian.documents.forms import CodeForm, CompareForm, RevokeForm
from anjian.documents.models import OfficialDocument
from anjian.documents.storage import document_storage

log = logging.getLogger(__name__)

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _download(doc: OfficialDocument, ext: str) -> HttpResponse:
    name = doc.docx_file if ext == "docx" else doc.pdf_file
    expected = doc.docx_sha256 if ext == "docx" else doc.pdf_sha256
    storage = document_storage()
    if not storage.exists(name):
        raise Http404
    with storage.open(name, "rb") as fh:
        data = fh.read()
    if hashlib.sha256(data).hexdigest() != expected:
        # Never hand out bytes that are not the ones issued; `anjian audit verify` names it too.
        log.error("document %s: stored %s does not match its hash", doc.pk, ext)
        return HttpResponse(
            _("The stored file does not match the document's hash; it has been altered."),
            status=500,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(data, content_type=CONTENT_TYPES[ext])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{doc.number}.{ext}"
    )
    return response


@capability_required(Capability.WORKSPACE)
def document_docx(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(selectors.document_get(request.user, pk), "docx")


@capability_required(Capability.WORKSPACE)
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(selectors.document_get(request.user, pk), "pdf")


@require_POST
@capability_required(Capability.DOCUMENTS_REVOKE)
def document_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    doc = selectors.document_get(request.user, pk)
    form = RevokeForm(request.POST)
    try:
        services.document_revoke(
            request.user, doc, form.data.get("reason", "") if form.is_bound else ""
        )
    except ServiceError as exc:
        message_service_error(request, exc)
    else:
        messages.success(request, _("The document is revoked."))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("documents:portal_detail", code=doc.verification_code)


# --- the public check ---------------------------------------------------------------------


def portal_lookup(request: HttpRequest) -> HttpResponse:
    """A form to type the code printed on a document."""
    form = CodeForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = services.verification_code_normalise(form.cleaned_data["code"])
        if code:
            return redirect("documents:portal_detail", code=code)
        form.add_error("code", _("A verification code has 16 letters and digits."))
    return render(request, "documents/portal_lookup.html", {"form": form})


def _not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "documents/portal_not_found.html", {"form": CodeForm()}, status=404)


def portal_detail(request: HttpRequest, code: str) -> HttpResponse:
    """What anyone holding a document may check: kind, number, organ, date, status and the
    hashes; and whether a copy they upload is byte for byte the issued one (the upload is
    hashed in memory and discarded)."""
    canonical = services.verification_code_normalise(code)
    if not canonical:
        return _not_found(request)
    if canonical != code:
        return redirect("documents:portal_detail", code=canonical)
    try:
        doc = selectors.document_by_code(canonical)
    except Http404:
        return _not_found(request)
    form = CompareForm()
    result = None
    too_large = False
    if request.method == "POST":
        limit = settings.ANJIAN_DOCUMENT_CHECK_MAX_BYTES
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit + 64 * 1024:
            too_large = True  # refused before Django reads the body
        else:
            form = CompareForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["copy"]
                if upload.size > limit:
                    too_large = True
                else:
                    digest = hashlib.sha256()
                    for chunk in upload.chunks():
                        digest.update(chunk)
                    sha = digest.hexdigest()
                    result = {
                        "sha256": sha,
                        "matches": sha in (doc.pdf_sha256, doc.docx_sha256),
                        "which": "PDF" if sha == doc.pdf_sha256 else "DOCX",
                    }
    return render(
        request,
        "documents/portal_detail.html",
        {"doc": doc, "form": form, "result": result, "too_large": too_large},
        status=413 if too_large else 200,
    )


# --- the bureau's electronic seal -----------------------------------------------------------


@capability_required(Capability.USERS_MANAGE)
def seal_page(request: HttpRequest) -> HttpResponse:
    """The administrator's own bureau's electronic seal: see it, upload a new one, remove it."""
    import base64

    from anjian.documents import seals
    from anjian.documents.forms import SealForm

    bureau = getattr(request.user, "bureau", None)
    if bureau is None:
        raise Http404
    form = SealForm()
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                seals.seal_remove(request.user, bureau)
                messages.success(
                    request, _("The seal is removed; documents print the placeholder.")
                )
                return redirect("documents:seal")
            form = SealForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["image"]
                if upload.size > seals.MAX_BYTES:
                    raise ServiceError.for_field(
                        "image",
                        _("The seal image is larger than %(max)s KB.")
                        % {"max": seals.MAX_BYTES // 1024},
                    )
                seals.seal_upload(request.user, bureau, upload.read())
                messages.success(request, _("The seal is saved; new documents carry it."))
                return redirect("documents:seal")
            status = 400
        except ServiceError as exc:
            for field_name, reasons in (exc.fields or {}).items():
                for reason in reasons:
                    form.add_error(field_name if field_name in form.fields else None, reason)
            if not exc.fields:
                form.add_error(None, "；".join(exc.reasons()))
            status = 400
    current = seals.seal_current(bureau)
    image = base64.b64encode(seals.seal_image(current.sha256)).decode() if current else ""
    return render(
        request,
        "documents/seal.html",
        {"bureau": bureau, "form": form, "current": current, "image": image},
        status=status,
    )
