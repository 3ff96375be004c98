"""The verifiable log end to end: checkpoints, proofs by API, scope, tampering, purging, forks."""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from anjian.accounts.roles import Role
from anjian.auditlog import keys, selectors, services
from anjian.auditlog.models import Checkpoint, ForkAlert, ForkReason
from anjian.auditlog.tree import StoredTree, event_leaf
from anjian.core import audit_triggers
from anjian.core.models import AuditEvent
from anjian.core.services import SYSTEM_ACTOR, audit_record
from anjian_verify import (
    check_cosignature,
    hasher,
    open_checkpoint,
    parse_vkey,
    verify_consistency,
    verify_inclusion,
)

SHA = hasher("sha256")


def _events(n: int, region: str = "140603") -> list[AuditEvent]:
    return [
        audit_record(
            actor=SYSTEM_ACTOR,
            action="core.region.updated",
            object_type="core.region",
            object_id=region,
            region=region,
            changes={"n": i, "name": ["旧", "新"]},
        )
        for i in range(n)
    ]


def _vkey() -> Any:
    return parse_vkey(keys.vkey_of(keys.log_signer()))


@pytest.mark.django_db
def test_a_checkpoint_is_signed_and_an_unchanged_log_is_not_signed_twice() -> None:
    _events(5)
    first = services.checkpoint_create()
    opened = open_checkpoint(first.note, _vkey())
    assert opened.size == first.tree_size == AuditEvent.objects.count()
    assert opened.root.hex() == first.root_hash
    assert services.checkpoint_create().pk == first.pk
    _events(3)
    second = services.checkpoint_create()
    assert second.tree_size == first.tree_size + 3
    proof = [
        bytes.fromhex(x)
        for x in selectors.consistency_proof(first=first.tree_size, second=second.tree_size)[
            "hashes"
        ]
    ]
    assert verify_consistency(
        SHA, first.tree_size, second.tree_size, opened.root, bytes.fromhex(second.root_hash), proof
    )
    # a note whose text was altered no longer verifies
    forged = second.note.replace(f"\n{second.tree_size}\n", f"\n{second.tree_size + 1}\n")
    with pytest.raises(Exception, match="does not verify"):
        open_checkpoint(forged, _vkey())


@pytest.mark.django_db
def test_checkpoints_and_proofs_are_public_but_records_need_the_audit_right_in_scope(
    make_user: Callable[..., Any], login: Callable[..., Client]
) -> None:
    events = _events(4, "140603") + _events(2, "140525")
    services.checkpoint_create()
    anonymous = Client()
    listing = anonymous.get("/api/log/checkpoints")
    assert (
        listing.status_code == 200 and listing.json()[0]["tree_size"] == AuditEvent.objects.count()
    )
    latest = anonymous.get("/api/log/checkpoints/latest").json()
    note = anonymous.get("/api/log/checkpoints/latest/note").content.decode()
    assert open_checkpoint(note, _vkey()).root.hex() == latest["root_hash"]
    seq = events[1].seq
    inc = anonymous.get(f"/api/log/proofs/inclusion?seq={seq}").json()
    assert set(inc) == {"leaf_index", "tree_size", "leaf_hash", "hashes"}  # hashes only
    assert verify_inclusion(
        SHA,
        inc["leaf_index"],
        inc["tree_size"],
        event_leaf("sha256", events[1]),
        [bytes.fromhex(x) for x in inc["hashes"]],
        bytes.fromhex(latest["root_hash"]),
    )
    assert anonymous.get(f"/api/log/proofs/events/{seq}").status_code == 401
    # the record and its changes: an auditor of 平鲁区 sees its own county's event …
    county_auditor = login(make_user("140603", [Role.AUDITOR], username="pl_auditor"))
    body = county_auditor.get(f"/api/log/proofs/events/{seq}").json()
    assert body["record"]["seq"] == seq and body["changes"]["name"] == ["旧", "新"]
    # … never 泽州县's, which looks the same as a missing event
    other = events[-1].seq
    assert county_auditor.get(f"/api/log/proofs/events/{other}").status_code == 404
    # an inspector has no audit right at all
    inspector = login(make_user("140603", [Role.INSPECTOR], username="pl_insp"))
    assert inspector.get(f"/api/log/proofs/events/{seq}").status_code == 403
    # the portal page lists the checkpoint, in Chinese, without login
    page = anonymous.get("/portal/log/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "审计日志" in text and latest["root_hash"] in text


@pytest.mark.db_owner  # tampers with or deletes trail rows: the owner only
@pytest.mark.django_db
def test_a_rewritten_event_no_longer_matches_its_leaf() -> None:
    events = _events(6)
    services.checkpoint_create()
    assert services.tree_verify().intact
    audit_triggers.uninstall(connection)
    try:
        AuditEvent.objects.filter(seq=events[2].seq).update(actor="someone_else")
    finally:
        audit_triggers.install(connection)
    report = services.tree_verify()
    assert not report.intact
    assert f"#{events[2].seq}" in report.problems[0]


@pytest.mark.db_owner  # tampers with or deletes trail rows: the owner only
@pytest.mark.django_db
def test_purging_old_event_bodies_keeps_every_root_and_proof() -> None:
    """Retention may delete old events: the tree keeps their leaves, so checkpoints, proofs and
    the export stay checkable (the purged events are exported as leaf hashes)."""
    events = _events(9)
    checkpoint = services.checkpoint_create()
    root = StoredTree("sha256").root(checkpoint.tree_size)
    audit_triggers.uninstall(connection)
    try:
        AuditEvent.objects.filter(seq__lte=events[4].seq).delete()
    finally:
        audit_triggers.install(connection)
    assert StoredTree("sha256").root(checkpoint.tree_size) == root
    assert services.tree_verify().intact
    inc = selectors.inclusion_proof(seq=events[7].seq)
    assert verify_inclusion(
        SHA,
        inc["leaf_index"],
        inc["tree_size"],
        event_leaf("sha256", events[7]),
        [bytes.fromhex(x) for x in inc["hashes"]],
        root,
    )
    lines = list(selectors.export_lines())
    assert '"leaf_hash"' in lines[1] and '"record"' in lines[-1]


class _Forger:
    """A log that shows the witness a checkpoint of its choosing (signed with the log's key)."""

    def __init__(self, size: int, root: bytes) -> None:
        self.size, self.root = size, root
        self.submitted: list[str] = []

    def latest_note(self) -> str:
        signer = keys.log_signer()
        text = f"{signer.name}\n{self.size}\n{base64.b64encode(self.root).decode()}\n"
        sig = base64.b64encode(keys.key_id_of(signer) + signer.sign(text.encode())).decode()
        return text + "\n" + f"\u2014 {signer.name} {sig}\n"

    def consistency(self, first: int, second: int) -> list[bytes]:
        return StoredTree("sha256").consistency(first, second)

    def submit(self, tree_size: int, line: str) -> None:
        self.submitted.append(line)


@pytest.mark.django_db
def test_the_witness_cosigns_what_extends_and_raises_a_fork(
    org: dict[str, Any], login: Callable[..., Client]
) -> None:
    _events(5)
    vkey = keys.vkey_of(keys.log_signer())
    outcome = services.witness_run(services.LocalSource(), log_vkey=vkey)
    checkpoint = Checkpoint.objects.get(tree_size=outcome.tree_size)
    note = services.checkpoint_note(checkpoint)
    witness_vkey = parse_vkey(keys.vkey_of(keys.witness_signer()))
    assert check_cosignature(open_checkpoint(note, _vkey()), witness_vkey) > 0
    # the log grows: the witness checks consistency and cosigns again
    _events(2)
    assert (
        services.witness_run(services.LocalSource(), log_vkey=vkey).tree_size
        == outcome.tree_size + 2
    )
    size = outcome.tree_size + 2
    # the same size with another root: a split view
    with pytest.raises(services.ForkDetected):
        services.witness_run(_Forger(size, b"\x01" * 32), log_vkey=vkey)
    # a larger tree that does not extend the one cosigned
    with pytest.raises(services.ForkDetected):
        services.witness_run(_Forger(size - 1, b"\x02" * 32), log_vkey=vkey)
    alerts = list(ForkAlert.objects.order_by("pk"))
    assert [a.reason for a in alerts] == [ForkReason.SPLIT, ForkReason.ROLLBACK]
    assert AuditEvent.objects.filter(action="auditlog.fork.detected").count() == 2
    # the administrator sees it on the home page and on the alerts page, in Chinese
    admin = login(org["province_admin"])
    home = admin.get("/home/").content.decode()
    assert "审计日志" in home
    page = admin.get("/log/alerts/").content.decode()
    assert "相同大小" in page or "根哈希" in page
    assert login(org["county_inspector"]).get("/log/alerts/").status_code == 403
    # the log is the province's: a county's administrator neither sees nor closes its alerts
    assert login(org["county_admin"]).get("/log/alerts/").status_code == 403
    assert login(org["county_admin"]).post(f"/log/alerts/{alerts[0].pk}/close/").status_code == 403
    assert "审计日志" not in login(org["county_admin"]).get("/home/").content.decode()
    # the province's administrator closes one; the trail records who
    admin.post(f"/log/alerts/{alerts[0].pk}/close/")
    assert ForkAlert.objects.filter(closed=False).count() == 1
    closed = AuditEvent.objects.get(action="auditlog.fork.closed")
    assert closed.actor == org["province_admin"].username
    # an unknown key's cosignature is refused
    assert (
        Client()
        .post(
            f"/api/log/checkpoints/{size}/cosignatures",
            {"line": "\u2014 evil.example/w " + base64.b64encode(b"x" * 76).decode()},
            content_type="application/json",
        )
        .status_code
        == 400
    )


@pytest.mark.django_db
def test_a_larger_checkpoint_that_rewrites_history_is_caught() -> None:
    _events(4)
    vkey = keys.vkey_of(keys.log_signer())
    services.witness_run(services.LocalSource(), log_vkey=vkey)
    _events(3)
    services.checkpoint_create()
    # the log offers 7 events, but with a root that is not the tree of the 4 it showed before
    with pytest.raises(services.ForkDetected):
        services.witness_run(_Forger(AuditEvent.objects.count() - 1, b"\x03" * 32), log_vkey=vkey)
    assert ForkAlert.objects.get().reason == ForkReason.INCONSISTENT


@pytest.mark.django_db
def test_a_log_signed_with_sm2_verifies_and_a_tampered_one_does_not(
    settings: Any, tmp_path: Any
) -> None:
    """The same key-provider interface with SM2 (GB/T 32918, via gmalg) instead of Ed25519."""
    from anjian_verify import SIG_SM2

    settings.ANJIAN_LOG_SIGNATURE = "sm2"
    settings.ANJIAN_LOG_KEY_FILE = str(tmp_path / "sm2_key")
    (tmp_path / "sm2_key").write_text(keys.skey_text(settings.ANJIAN_LOG_ORIGIN, SIG_SM2, b""))
    keys._cached.cache_clear()
    try:
        _events(2)
        checkpoint = services.checkpoint_create()
        vkey = parse_vkey(keys.vkey_of(keys.log_signer()))
        assert vkey.sig_type == SIG_SM2 and len(vkey.public_key) == 65
        assert open_checkpoint(checkpoint.note, vkey).size == checkpoint.tree_size
        forged = checkpoint.note.replace(
            f"\n{checkpoint.tree_size}\n", f"\n{checkpoint.tree_size - 1}\n"
        )
        with pytest.raises(Exception, match="does not verify"):
            open_checkpoint(forged, vkey)
    finally:
        keys._cached.cache_clear()


@pytest.mark.django_db
def test_the_job_queue_signs_a_checkpoint_every_few_minutes(settings) -> None:
    """The worker signs checkpoints by itself (ANJIAN_LOG_CHECKPOINT_MINUTES), and the jobs
    page lists the job with its interval."""
    from huey.contrib.djhuey import HUEY

    from anjian.jobs.models import JobRun, RunStatus
    from anjian.jobs.registry import job_spec

    spec = job_spec("auditlog.checkpoint")
    assert spec is not None and spec.periodic
    assert spec.every == settings.ANJIAN_LOG_CHECKPOINT_MINUTES
    _events(3)
    HUEY.execute(spec.wrapper.s())  # as the worker runs it
    latest = Checkpoint.objects.order_by("-tree_size").first()
    assert latest is not None and latest.tree_size == AuditEvent.objects.count()
    assert JobRun.objects.filter(name="auditlog.checkpoint", status=RunStatus.SUCCEEDED).exists()
