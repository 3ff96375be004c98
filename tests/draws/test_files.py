"""The files a draw publishes are stored under their SHA-256 and checked on every read: a file
altered on disk is refused by the portal (not a server error) and named by `anjian draws
verify`; a member of the public verifies a draw from the downloaded files alone, with no
database (docs/algorithms/draw.md, section 16)."""

from __future__ import annotations

import gzip
import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from anjian.draws import publication, services
from anjian.draws.verify import draw_verify, files_verify
from tests.draws.test_services import D, setup, values  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _drawn(setup, **extra):  # noqa: F811
    head = setup["head"]
    draw = services.draw_create(
        actor=head,
        bureau=head.bureau,
        # A window that has closed: the results are public.
        values=values(
            setup, inspection_from=D(2026, 3, 2), inspection_until=D(2026, 4, 30), **extra
        ),
    )
    services.draw_commit(actor=head, draw=draw)
    return services.draw_run(actor=head, draw=draw)


def _download(client, draw, folder) -> dict:
    record = client.get(reverse("draws:portal_record", kwargs={"pk": draw.pk}))
    assert record.status_code == 200
    (folder / f"draw-{draw.pk}-record.json").write_bytes(record.content)
    data = json.loads(record.content)
    for kind, entry in data["files"].items():
        response = client.get(entry["url"])
        assert response.status_code == 200, kind
        assert hashlib.sha256(response.content).hexdigest() == entry["sha256"]
        (folder / f"draw-{draw.pk}-{entry['name']}").write_bytes(response.content)
    return data


def test_a_file_altered_on_disk_is_refused_and_named_by_verify(setup, tmp_path, client) -> None:  # noqa: F811
    draw = _drawn(setup)
    stored = tmp_path / publication.path_for(draw.files["inspectors"])
    assert draw.files["inspectors"] in stored.name  # stored under its own hash
    text = gzip.decompress(stored.read_bytes()).decode()
    stored.write_bytes(gzip.compress(text.replace("\t0\n", "\t1\n", 1).encode()))
    url = reverse("draws:portal_file", kwargs={"pk": draw.pk, "kind": "inspectors"})
    response = client.get(url)
    assert response.status_code == 409
    page = response.content.decode()
    assert "不再与公布时记录的 SHA-256 一致" in page and draw.files["inspectors"] in page
    result = draw_verify(draw)
    assert ("file inspectors.tsv", False) in result.checks
    assert "hash to" in result.reasons["file inspectors.tsv"]
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("draws", "verify", str(draw.pk), stdout=out)
    assert "✗ file inspectors.tsv" in out.getvalue() and "Traceback" not in out.getvalue()
    # A missing file is refused the same way.
    stored.unlink()
    assert client.get(url).status_code == 409
    assert "missing" in draw_verify(draw).reasons["file inspectors.tsv"]


def test_equal_files_share_one_stored_file_and_other_draws_never_overwrite(setup) -> None:  # noqa: F811
    """What two databases sharing one ANJIAN_VAR_DIR do: draws with the same number in each
    wrote draws/<id>/..., the second overwriting the first. By content, they cannot."""
    first = _drawn(setup)
    second = _drawn(setup, max_per_inspector=3)
    assert first.files["directory"] == second.files["directory"]  # same bytes, one file
    assert first.files["result"] != second.files["result"]
    assert draw_verify(first).ok and draw_verify(second).ok


def test_the_public_verifies_a_draw_from_the_downloaded_files_alone(
    setup,  # noqa: F811
    tmp_path,
    client,
    django_db_blocker,
) -> None:
    draw = _drawn(setup)
    folder = tmp_path / "downloaded"
    folder.mkdir()
    record = _download(client, draw, folder)
    # The record as data: ids and keys, the date `on` (the window's first day), the result.
    assert record["on"] == "2026-03-02" and record["secret"] == draw.secret
    assert set(record["files"]) == set(publication.FILES)
    assert record["quotas"] == draw.quotas and record["rules"]["per_entity"] == 2
    selection = (folder / f"draw-{draw.pk}-selection.tsv").read_text().splitlines()
    assert selection[0] == "uscc\tstratum\tforced\tprobability\tteam\trefusal"
    first = draw.selections.exclude(team=[]).select_related("entity").first()
    row = next(line for line in selection if line.startswith(first.entity.uscc))
    assert json.loads(row.split("\t")[4]) == [f"u{pk}" for pk in first.team]  # ids, not names
    result = json.loads((folder / f"draw-{draw.pk}-result.json").read_text())
    assert {"strata", "loads", "counter_end", "refusals", "overflow"} <= set(result)
    with django_db_blocker.block():  # no database: only the files
        verified = files_verify(folder)
        assert verified.ok, verified.reasons
        out = io.StringIO()
        call_command("draws", "verify", "--files", str(folder), stdout=out)
        assert f"{draw.pk} 核验通过" in out.getvalue()

        # A quota larger than its stratum (a tampered record): named checks, no traceback.
        path = folder / f"draw-{draw.pk}-record.json"
        tampered = dict(record, quotas=dict.fromkeys(record["quotas"], 10000))
        path.write_text(json.dumps(tampered))
        verified = files_verify(folder)
        checks = dict(verified.checks)
        assert checks["quotas fit the directory"] is False
        assert "stratum has" in verified.reasons["quotas fit the directory"]
        assert checks["selection"] is False and checks["secret matches commitment"] is True
        out = io.StringIO()
        with pytest.raises(CommandError):
            call_command("draws", "verify", "--files", str(folder), stdout=out)
        assert "✗ quotas fit the directory" in out.getvalue()
        assert "Traceback" not in out.getvalue()

        # A team changed in the downloaded selection: the file no longer has its hash.
        path.write_text(json.dumps(record))
        sel = folder / f"draw-{draw.pk}-selection.tsv"
        sel.write_text(sel.read_text().replace('"u', '"x', 1))
        verified = files_verify(folder)
        assert ("file selection.tsv", False) in verified.checks
        assert ("inspector teams", False) in verified.checks


def test_the_files_of_results_stay_hidden_until_the_window_closes(setup, client) -> None:  # noqa: F811
    head = setup["head"]
    draw = services.draw_create(actor=head, bureau=head.bureau, values=values(setup))
    services.draw_commit(actor=head, draw=draw)
    draw = services.draw_run(actor=head, draw=draw)
    record = client.get(reverse("draws:portal_record", kwargs={"pk": draw.pk})).json()
    assert set(record["files"]) == {"directory", "probabilities", "inspectors"}
    assert "secret" not in record and "selected" not in record
    for kind in publication.WITH_RESULTS:
        url = reverse("draws:portal_file", kwargs={"pk": draw.pk, "kind": kind})
        assert client.get(url).status_code == 404
