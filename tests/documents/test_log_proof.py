"""Done-when of issue 23: an outsider with a published checkpoint and `anjian-verify` proves that
a penalty decision is in the log and that the log has only grown; a tampered export fails.

The verifier runs as a separate process, in a Python without Django on its path (the system's
python3 when it has `cryptography`; otherwise this venv's, with Django and anjian made
unimportable), from a directory holding nothing but the verifier module."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

import anjian_verify
from anjian.auditlog import keys, services
from anjian.core.models import AuditEvent
from anjian.documents.models import DocumentKind
from anjian.documents.storage import document_storage

BLOCKER = (
    "import sys\n"
    "class _Block:\n"
    "    def find_spec(self, name, path=None, target=None):\n"
    "        if name.split('.')[0] in ('django', 'anjian'):\n"
    "            raise ImportError('blocked: ' + name)\n"
    "sys.meta_path.insert(0, _Block())\n"
    "import anjian_verify\n"
    "code = anjian_verify.main(sys.argv[1:])\n"
    "assert not [m for m in sys.modules if m.split('.')[0] in ('django', 'anjian')]\n"
    "raise SystemExit(code)\n"
)


def _python_without_django() -> str:
    system = shutil.which("python3", path="/usr/bin:/bin")
    if system:
        probe = subprocess.run(  # noqa: S603 (the system python, fixed arguments)
            [
                system,
                "-c",
                "import cryptography, importlib.util as u; "
                "raise SystemExit(u.find_spec('django') is not None)",
            ],
            capture_output=True,
        )
        if probe.returncode == 0:
            return system
    return sys.executable


def _verify(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    isolated = tmp_path / "verifier"
    isolated.mkdir(exist_ok=True)
    shutil.copytree(
        Path(anjian_verify.__file__).parent, isolated / "anjian_verify", dirs_exist_ok=True
    )
    (isolated / "run.py").write_text(BLOCKER)
    return subprocess.run(  # noqa: S603 (a python and this repository's verifier)
        [_python_without_django(), "-s", "-E", str(isolated / "run.py"), *args],
        capture_output=True,
        text=True,
        cwd=isolated,
        env={"PATH": "/usr/bin:/bin"},
        timeout=120,
    )


def _command(*args: str) -> str:
    out = io.StringIO()
    call_command("log", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_an_outsider_proves_a_penalty_decision_is_in_the_log_and_the_log_only_grew(
    issue: Callable[..., Any], tmp_path: Path
) -> None:
    older = services.checkpoint_create()
    (tmp_path / "old.txt").write_text(services.checkpoint_note(older))
    decision = issue(DocumentKind.PENALTY_DECISION)
    event = AuditEvent.objects.get(action="documents.document.issued", object_id=str(decision.pk))
    services.witness_run(services.LocalSource(), log_vkey=keys.vkey_of(keys.log_signer()))
    latest = services.checkpoint_create()
    (tmp_path / "cp.txt").write_text(services.checkpoint_note(latest))
    (tmp_path / "vkey").write_text(_command("vkey"))
    witness_vkey = keys.vkey_of(keys.witness_signer())
    _command("export", "--out", str(tmp_path / "export.jsonl"))
    _command(
        "proof",
        "--object",
        f"document:{decision.pk}",
        "--with-changes",
        "--out",
        str(tmp_path / "decision.json"),
    )
    _command(
        "proof",
        "--consistency",
        str(older.tree_size),
        str(latest.tree_size),
        "--out",
        str(tmp_path / "grew.json"),
    )
    pdf = tmp_path / "decision.pdf"
    with document_storage().open(decision.pdf_file, "rb") as src:
        pdf.write_bytes(src.read())

    common = ["--checkpoint", str(tmp_path / "cp.txt"), "--vkey", str(tmp_path / "vkey")]
    # 1. from the export alone: signatures, root, chain, the decision's event, growth
    run = _verify(
        tmp_path,
        *common,
        "--witness-vkey",
        witness_vkey,
        "--export",
        str(tmp_path / "export.jsonl"),
        "--seq",
        str(event.seq),
        "--old-checkpoint",
        str(tmp_path / "old.txt"),
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"#{event.seq}" in run.stdout and "documents.document.issued" in run.stdout
    assert "only grew" in run.stdout and "cosigned by witness" in run.stdout
    # 2. from proofs alone (no export): inclusion of the decision, its PDF, consistency
    run = _verify(
        tmp_path,
        *common,
        "--proof",
        str(tmp_path / "decision.json"),
        "--proof",
        str(tmp_path / "grew.json"),
        "--old-checkpoint",
        str(tmp_path / "old.txt"),
        "--file",
        str(pdf),
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "inclusion proof" in run.stdout and "is the one the event records" in run.stdout
    assert f"extends the one of {older.tree_size}" in run.stdout

    # tampering: one changed record in the export, one changed byte of the PDF
    lines = (tmp_path / "export.jsonl").read_text().splitlines()
    target = next(i for i, raw in enumerate(lines) if f'"seq":{event.seq},' in raw)
    record = json.loads(lines[target])
    record["record"]["actor"] = "someone_else"
    lines[target] = json.dumps(record, ensure_ascii=False)
    (tmp_path / "tampered.jsonl").write_text("\n".join(lines) + "\n")
    run = _verify(tmp_path, *common, "--export", str(tmp_path / "tampered.jsonl"))
    assert run.returncode == 1 and "FAIL" in run.stdout and "root recomputed" in run.stdout
    pdf.write_bytes(pdf.read_bytes() + b" ")
    run = _verify(tmp_path, *common, "--proof", str(tmp_path / "decision.json"), "--file", str(pdf))
    assert run.returncode == 1 and "is not in the event" in run.stdout
    # a checkpoint signed by another key is refused
    other = "evil.example/log+00000000+" + "A" * 44
    run = _verify(tmp_path, "--checkpoint", str(tmp_path / "cp.txt"), "--vkey", other)
    assert run.returncode == 1
