"""The public portal: pages anyone may read without logging in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from anjian.core import selectors


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/index.html", {"chain_head": selectors.audit_chain_head()})


def audit_head(request: HttpRequest) -> HttpResponse:
    """The current head of the audit chain, so anyone can later hold the platform to it."""
    return render(request, "portal/audit_head.html", {"chain_head": selectors.audit_chain_head()})
