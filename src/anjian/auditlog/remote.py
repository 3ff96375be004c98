"""A log reached over HTTP, for a witness on another platform (`anjian log witness --url`)."""

from __future__ import annotations

import json
import urllib.request
from urllib.parse import urlencode


class HttpSource:
    def __init__(self, base: str, *, timeout: float = 30) -> None:
        if not base.startswith(("https://", "http://")):
            raise ValueError("the log's address must be an http(s) URL")
        self.base = base.rstrip("/")
        self.timeout = timeout

    def _get(self, path: str) -> bytes:
        url = self.base + path  # http(s) only, checked in __init__
        with urllib.request.urlopen(url, timeout=self.timeout) as response:  # noqa: S310  # nosec B310 (http(s) only, checked in __init__)
            return bytes(response.read())

    def latest_note(self) -> str:
        return self._get("/checkpoints/latest/note").decode("utf-8")

    def consistency(self, first: int, second: int) -> list[bytes]:
        body = json.loads(
            self._get("/proofs/consistency?" + urlencode({"first": first, "second": second}))
        )
        return [bytes.fromhex(x) for x in body["hashes"]]

    def submit(self, tree_size: int, line: str) -> None:
        request = urllib.request.Request(  # noqa: S310 (http(s) only)
            f"{self.base}/checkpoints/{tree_size}/cosignatures",
            data=json.dumps({"line": line}).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=self.timeout):  # noqa: S310  # nosec B310
            pass
