"""`anjian log witness --url`: a witness on another platform reads the log over HTTP, checks
consistency with what it cosigned before, and posts its cosignature back."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from anjian.auditlog import keys, services
from anjian.auditlog.models import Cosignature
from anjian.core.services import SYSTEM_ACTOR, audit_record


def _event() -> None:
    audit_record(actor=SYSTEM_ACTOR, action="core.region.updated", changes={"x": 1})


@pytest.mark.django_db(transaction=True)
def test_a_witness_over_http_cosigns_twice_as_the_log_grows(live_server: Any) -> None:
    _event()
    services.checkpoint_create()
    url = f"{live_server.url}/api/log"
    vkey = keys.vkey_of(keys.log_signer())
    out = io.StringIO()
    call_command("log", "witness", "--url", url, "--log-vkey", vkey, stdout=out)
    assert "已见证签署" in out.getvalue() or "Cosigned" in out.getvalue()
    _event()
    second = services.checkpoint_create()
    call_command("log", "witness", "--url", url, "--log-vkey", vkey, stdout=io.StringIO())
    assert Cosignature.objects.filter(checkpoint=second).count() == 1
    assert Cosignature.objects.count() == 2
    # the note now served carries the cosignature
    assert keys.witness_signer().name in services.checkpoint_note(second)
