"""`anjian log …`: the verifiable audit log (docs/algorithms/audit-log.md).

anjian log checkpoint                 grow the tree and sign a checkpoint (job runner: every
                                      ANJIAN_LOG_CHECKPOINT_MINUTES minutes)
anjian log vkey                       print the log's public verifier key
anjian log export [--size N] [--out F] [--redact PREFIX]…   JSON-lines export for anjian-verify
anjian log proof --seq N | --object KIND:ID | --consistency A B  [--size N] [--out F]
anjian log witness local | --url URL --log-vkey VKEY   witness (cosign) the log's checkpoint
"""

from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from anjian.auditlog import keys, selectors, services
from anjian.auditlog.remote import HttpSource
from anjian.auditlog.tree import LogError, event_record
from anjian.core.errors import ServiceError
from anjian.core.models import AuditEvent


class Command(BaseCommand):
    help = "The verifiable audit log: checkpoints, exports, proofs, witnessing."
    leave_locale_alone = True

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("checkpoint", help="sign a checkpoint of the current log")
        sub.add_parser("vkey", help="print the log's verifier key")
        export = sub.add_parser("export", help="write the JSON-lines export")
        export.add_argument("--size", type=int, default=None, help="a checkpoint's size")
        export.add_argument("--out", default="-")
        export.add_argument(
            "--redact",
            action="append",
            default=None,
            help="action prefix exported as leaf hash only (default: accounts.login.); "
            "--redact '' exports every record",
        )
        proof = sub.add_parser("proof", help="write a proof file")
        which = proof.add_mutually_exclusive_group(required=True)
        which.add_argument("--seq", type=int)
        which.add_argument("--object", help="document:ID, evidence:ID or draw:ID")
        which.add_argument("--consistency", type=int, nargs=2, metavar=("FIRST", "SECOND"))
        proof.add_argument("--size", type=int, default=None)
        proof.add_argument("--with-changes", action="store_true")
        proof.add_argument("--out", default="-")
        witness = sub.add_parser("witness", help="cosign the log's latest checkpoint")
        witness.add_argument("target", nargs="?", default="", help="`local`: this platform")
        witness.add_argument("--url", default="", help="the log's base address (…/api/log)")
        witness.add_argument("--log-vkey", default="", help="the log's verifier key")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        try:
            getattr(self, f"_{options['action']}")(options)
        except (ServiceError, LogError) as exc:
            raise CommandError(str(exc)) from None

    def _out(self, path: str) -> Any:
        return nullcontext(self.stdout) if path == "-" else Path(path).open("w", encoding="utf-8")

    def _checkpoint(self, options: dict[str, Any]) -> None:
        checkpoint = services.checkpoint_create()
        self.stdout.write(
            _("Checkpoint of %(n)d events, root %(root)s")
            % {"n": checkpoint.tree_size, "root": checkpoint.root_hash}
        )

    def _vkey(self, options: dict[str, Any]) -> None:
        self.stdout.write(keys.vkey_of(keys.log_signer()))

    def _export(self, options: dict[str, Any]) -> None:
        redact = selectors.DEFAULT_REDACT
        if options["redact"] is not None:
            redact = tuple(p for p in options["redact"] if p)
        with self._out(options["out"]) as out:
            for line in selectors.export_lines(tree_size=options["size"], redact=redact):
                out.write(line + "\n")

    def _proof(self, options: dict[str, Any]) -> None:
        if options["consistency"]:
            first, second = options["consistency"]
            data = selectors.consistency_file(first=first, second=second)
        else:
            if options["object"]:
                kind, _sep, object_id = options["object"].partition(":")
                if kind not in selectors.PROOF_KINDS:
                    raise CommandError(_("--object must be document:ID, evidence:ID or draw:ID"))
                object_type, action = selectors.PROOF_KINDS[kind]
                event = (
                    AuditEvent.objects.filter(
                        object_type=object_type, object_id=object_id, action=action
                    )
                    .order_by("seq")
                    .first()
                )
            else:
                event = AuditEvent.objects.filter(seq=options["seq"]).first()
            if event is None:
                raise CommandError(_("No such audit event."))
            data = selectors.proof_file(
                event, tree_size=options["size"], with_changes=options["with_changes"]
            )
            self.stderr.write(json.dumps(event_record(event), ensure_ascii=False))
        with self._out(options["out"]) as out:
            out.write(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n")

    def _witness(self, options: dict[str, Any]) -> None:
        if options["target"] == "local":
            source: Any = services.LocalSource()
            vkey = options["log_vkey"] or keys.vkey_of(keys.log_signer())
        elif options["url"]:
            if not options["log_vkey"]:
                raise CommandError(
                    _("--url needs --log-vkey: the key the log's checkpoints are signed with")
                )
            source, vkey = HttpSource(options["url"]), options["log_vkey"]
        else:
            raise CommandError(_("Say `local` or give --url"))
        try:
            outcome = services.witness_run(source, log_vkey=vkey)
        except services.ForkDetected as exc:
            self.stderr.write(self.style.ERROR(str(exc)))
            sys.exit(2)
        self.stdout.write(
            self.style.SUCCESS(
                _("Cosigned the checkpoint of %(n)d events of %(origin)s")
                % {"n": outcome.tree_size, "origin": outcome.origin}
            )
        )
