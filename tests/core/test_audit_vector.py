"""The test vector published in docs/audit-chain.md."""

from datetime import UTC, datetime

from anjian.core import audit_chain


def test_the_documented_vector() -> None:
    changes = {
        "count": 3,
        "fine": "30000.00",
        "name": ["旧名称", "新名称"],
        "none": None,
        "ok": True,
    }
    digest = audit_chain.changes_digest(changes)
    assert digest == "f70258c7e4d2631b0c51c4217babbcc9e6ec84895ce7a74b5640d09667737944"
    assert (
        audit_chain.event_hash(
            seq=1,
            occurred_at=datetime(2026, 11, 24, 3, 4, 5, 6, tzinfo=UTC),
            actor_id=7,
            actor="pl_inspector",
            action="accounts.certificate.issued",
            object_type="accounts.enforcementcertificate",
            object_id="12",
            region="140603",
            source="web",
            digest=digest,
            prev_hash="0" * 64,
        )
        == "96acd69a53582aa47b7c8f9dfcd0532cb332c22df4478776fc185e377f0f293d"
    )
