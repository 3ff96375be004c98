"""A draw played through the services: configure, commit (the directory and the pool frozen and
hashed, the commitment published), run once (selection, inspectors with avoidance, tasks), and
verify from the published files. No silent re-draws."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import ProtectedError

from anjian.core.errors import Conflict, NotPermitted, ServiceError
from anjian.core.models import AuditEvent
from anjian.draws import publication, services
from anjian.draws.models import Draw, DrawSelection
from anjian.draws.services import DrawValues
from anjian.draws.verify import draw_verify
from anjian.inspections.models import InspectionTask

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def setup(org, make_user, make_entity, make_certificate, make_item, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    head = make_user("140600", ["division_head"], username="sz_head")
    item = services.random_check_item_add(actor=head, bureau=head.bureau, item=make_item())
    mines = [
        make_entity(
            "140603" if n % 2 else "140602",
            credit_grade="D" if n == 0 else "B",
            risk_level="major" if n < 3 else "general",
        )
        for n in range(12)
    ]
    inspectors = []
    for n, region in enumerate(["140600", "140600", "140600", "140600", "140603", "140602"]):
        user = make_user(region, ["inspector"], username=f"insp{n}")
        make_certificate(user, specialties=["coal_mine"])
        inspectors.append(user)
    return {"head": head, "item": item, "mines": mines, "inspectors": inspectors}


def values(setup, **extra) -> DrawValues:
    base = {
        "title": "2027年第一批煤矿双随机抽查",
        "items": [setup["item"]],
        "inspection_from": D(2027, 3, 1),
        "inspection_until": D(2027, 4, 30),
        "default_ratio": 2500,
        "max_per_inspector": 10,
    }
    base.update(extra)
    return DrawValues(**base)


def test_configure_commit_run_and_verify(setup) -> None:
    head = setup["head"]
    draw = services.draw_create(actor=head, bureau=head.bureau, values=values(setup))
    services.draw_commit(actor=head, draw=draw)
    draw.refresh_from_db()
    assert draw.status == "committed" and draw.directory_size == 12
    assert draw.commitment == hashlib.sha256(bytes.fromhex(draw.secret)).hexdigest()
    assert sum(draw.quotas.values()) == 3  # 25 % of 12
    committed = AuditEvent.objects.get(action="draws.draw.committed")
    assert committed.changes["commitment"] == draw.commitment
    assert draw.secret not in str(committed.changes)  # the secret stays hidden until the draw

    services.draw_run(actor=head, draw=draw)
    draw.refresh_from_db()
    assert draw.status == "drawn" and draw.selections.count() == 3
    for selection in draw.selections.all():
        team = selection.team_members()
        assert len(team) == 2 or selection.unassigned_reasons
        # avoid_own_county is on: nobody from the entity's county.
        assert all(u.bureau.region_id != selection.entity.region_id for u in team)
    tasks = InspectionTask.objects.filter(draw=draw)
    assert tasks.count() == draw.summary["assigned"]
    # Each task's working team starts as the drawn team of its entity.
    drawn = dict(draw.selections.values_list("entity_id", "team"))
    assert all(
        sorted(t.inspectors.values_list("pk", flat=True)) == sorted(drawn[t.entity_id])
        for t in tasks
    )
    drawn_event = AuditEvent.objects.get(action="draws.draw.drawn")
    assert drawn_event.changes["secret"] == draw.secret
    # The rows were written in bulk and recorded in that one event: the published files by
    # hash, and a digest an auditor recomputes from the rows in the database.
    assert drawn_event.changes["files"]["selection"] == draw.files["selection"]
    lines = [
        f"s\t{entity_id}\t{','.join(map(str, team))}\n"
        for entity_id, team in draw.selections.order_by("entity_id").values_list(
            "entity_id", "team"
        )
    ]
    for task in tasks.order_by("pk"):
        team = ",".join(sorted(str(pk) for pk in task.inspectors.values_list("pk", flat=True)))
        lines.append(f"t\t{task.pk}\t{task.entity_id}\t{task.item_id}\t{team}\n")
    digest = hashlib.sha256("".join(lines).encode()).hexdigest()
    assert drawn_event.changes["rows_sha256"] == digest

    assert draw_verify(draw).ok
    call_command("draws", "verify", str(draw.pk))

    # Every entity's inclusion probability was published at commitment, before the secret was
    # known, and equals what the draw used.
    rows = publication.read(draw, "probabilities").decode().splitlines()[1:]
    published = {r.split("\t")[0]: float(r.split("\t")[3]) for r in rows}
    assert len(published) == 12 and abs(sum(published.values()) - 3) < 1e-4
    for selection in draw.selections.all():
        assert abs(published[selection.entity.uscc] - selection.probability) < 1e-6


def test_a_draw_runs_once_and_is_never_edited_or_abandoned_after_commitment(setup) -> None:
    head = setup["head"]
    draw = services.draw_create(actor=head, bureau=head.bureau, values=values(setup))
    services.draw_commit(actor=head, draw=draw)
    with pytest.raises(Conflict):
        services.draw_commit(actor=head, draw=draw)
    with pytest.raises(Conflict):
        services.draw_abandon(actor=head, draw=draw, reason="结果不理想")
    services.draw_run(actor=head, draw=draw)
    with pytest.raises(Conflict):
        services.draw_run(actor=head, draw=draw)
    with pytest.raises(ServiceError) as err:
        services.draw_create(
            actor=head, bureau=head.bureau, values=values(setup), redo_of=draw, redo_reason=""
        )
    assert "redo_reason" in err.value.fields
    redo = services.draw_create(
        actor=head,
        bureau=head.bureau,
        values=values(setup),
        redo_of=draw,
        redo_reason="名录库误含已注销企业",
    )
    assert redo.redo_of == draw and Draw.objects.filter(status="drawn").count() == 1
    # Deleting is refused by the database too: selections protect the draw.
    with pytest.raises(ProtectedError):
        draw.delete()


def test_tampering_with_a_stored_file_is_detected(setup, tmp_path) -> None:
    head = setup["head"]
    draw = services.draw_create(actor=head, bureau=head.bureau, values=values(setup))
    services.draw_commit(actor=head, draw=draw)
    services.draw_run(actor=head, draw=draw)
    draw.refresh_from_db()
    DrawSelection.objects.filter(draw=draw).first().delete()
    result = draw_verify(draw)
    assert not result.ok and ("selection", False) in result.checks
    with pytest.raises(CommandError):
        call_command("draws", "verify", str(draw.pk))


def test_the_run_reads_the_committed_columns_and_refuses_an_altered_file(setup, tmp_path) -> None:
    """The run reads the directory from the columns file the commit wrote beside the published
    text (parsing a million lines would take most of a second); the file is bound to the draw
    by the hash the commit stored, and the run refuses it when it was changed."""
    head = setup["head"]
    first = services.draw_create(actor=head, bureau=head.bureau, values=values(setup))
    services.draw_commit(actor=head, draw=first)
    first.refresh_from_db()
    directory, entities = services.committed_directory(first)
    parsed = services.stored_directory(first)
    assert directory.usccs == parsed.usccs and directory.strata == parsed.strata
    assert directory.weights.tolist() == parsed.weights.tolist()
    assert directory.forced.tolist() == parsed.forced.tolist()
    assert directory.hash_hex == first.directory_hash
    # Each row's entity as the commit read it: what the run would otherwise look up.
    assert entities is not None
    everyone = list(range(len(directory)))
    assert entities.rows(directory.usccs, everyone) == services.selected_entities(directory.usccs)

    path = tmp_path / publication.path_for(first.files["directory-columns"], compressed=False)
    original = path.read_bytes()
    altered = bytearray(original)
    altered[-40] ^= 1
    path.write_bytes(bytes(altered))
    with pytest.raises(Conflict):
        services.draw_run(actor=head, draw=first)
    path.write_bytes(original)
    drawn = services.draw_run(actor=head, draw=first)
    assert draw_verify(drawn).ok


def test_a_draw_committed_before_the_columns_file_still_runs(setup) -> None:
    head = setup["head"]
    draw = services.draw_create(actor=head, bureau=head.bureau, values=values(setup))
    services.draw_commit(actor=head, draw=draw)
    draw.refresh_from_db()
    files = dict(draw.files)
    del files["directory-columns"]
    Draw.objects.filter(pk=draw.pk).update(files=files)
    draw.refresh_from_db()
    drawn = services.draw_run(actor=head, draw=draw)
    assert drawn.summary["selected"] > 0 and draw_verify(drawn).ok


def test_a_team_edited_after_the_draw_is_detected(setup) -> None:
    """The drawn team lives on the selection row; swapping a member in the database, or only
    reordering the team, no longer matches what the published inputs re-draw."""
    head = setup["head"]
    draw = services.draw_create(actor=head, bureau=head.bureau, values=values(setup))
    services.draw_commit(actor=head, draw=draw)
    services.draw_run(actor=head, draw=draw)
    draw.refresh_from_db()
    selection = draw.selections.exclude(team=[]).first()
    assert selection is not None and draw_verify(draw).ok
    outsider = next(u for u in setup["inspectors"] if u.pk not in selection.team)
    DrawSelection.objects.filter(pk=selection.pk).update(team=[selection.team[0], outsider.pk])
    assert ("inspector teams", False) in draw_verify(draw).checks
    DrawSelection.objects.filter(pk=selection.pk).update(team=list(reversed(selection.team)))
    assert ("inspector teams", False) in draw_verify(draw).checks
    DrawSelection.objects.filter(pk=selection.pk).update(team=selection.team)
    assert draw_verify(draw).ok


def test_forced_entities_are_drawn_and_must_be_in_the_directory(setup, make_entity) -> None:
    head = setup["head"]
    forced = setup["mines"][5].uscc
    draw = services.draw_create(
        actor=head, bureau=head.bureau, values=values(setup, forced=[forced], default_ratio=100)
    )
    services.draw_commit(actor=head, draw=draw)
    services.draw_run(actor=head, draw=draw)
    assert draw.selections.filter(entity__uscc=forced, forced=True, probability=1.0).exists()
    outside = make_entity("140525")
    bad = services.draw_create(
        actor=head, bureau=head.bureau, values=values(setup, forced=[outside.uscc])
    )
    with pytest.raises(ServiceError) as err:
        services.draw_commit(actor=head, draw=bad)
    assert "forced" in err.value.fields
    bad.refresh_from_db()
    assert bad.status == "draft" and not bad.commitment


def test_ratio_table_makes_d_grade_major_risk_certain(setup) -> None:
    head = setup["head"]
    d_major = setup["mines"][0]
    draw = services.draw_create(
        actor=head,
        bureau=head.bureau,
        values=values(setup, default_ratio=100, ratios={"D|major": 10000}),
    )
    services.draw_commit(actor=head, draw=draw)
    services.draw_run(actor=head, draw=draw)
    assert draw.selections.filter(entity=d_major, probability=1.0).exists()


def test_conflicts_and_last_inspectors_are_avoided_and_a_thin_pool_is_refused(setup, org) -> None:
    head = setup["head"]
    mines = setup["mines"]
    city_inspectors = setup["inspectors"][:4]
    for entity in mines:
        for inspector in city_inspectors[:3]:
            services.conflict_declare(
                actor=head, inspector=inspector, entity=entity, reason="亲属在该企业任职"
            )
    draw = services.draw_create(
        actor=head, bureau=head.bureau, values=values(setup, default_ratio=10000)
    )
    services.draw_commit(actor=head, draw=draw)
    services.draw_run(actor=head, draw=draw)
    # Left for each entity: the fourth city inspector, and the county inspector of the other
    # county (the own county is avoided): two, but the fourth city inspector may take at most 10.
    for selection in draw.selections.all():
        ids = set(selection.team)
        assert not ids & {u.pk for u in city_inspectors[:3]}
        if not ids:
            assert selection.unassigned_reasons["excluded"]["conflict"] == 3
    draw.refresh_from_db()
    assert draw_verify(draw).ok


def test_only_the_draws_own_bureau_manages_it(setup, org, make_user) -> None:
    other = make_user("140500", ["division_head"], username="jc_head")
    with pytest.raises(NotPermitted):
        services.draw_create(actor=other, bureau=setup["head"].bureau, values=values(setup))
    inspector = setup["inspectors"][0]
    with pytest.raises(NotPermitted):
        services.draw_create(actor=inspector, bureau=inspector.bureau, values=values(setup))


def test_items_apply_only_to_their_industries(
    setup, make_item, make_entity, make_user, make_certificate
) -> None:
    head = setup["head"]
    for n in range(2):
        chemist = make_user("140600", ["inspector"], username=f"chem{n}")
        make_certificate(chemist, specialties=["hazardous_chemicals"])
    chemicals = services.random_check_item_add(
        actor=head,
        bureau=head.bureau,
        item=make_item("危险化学品储存", industries=["hazardous_chemicals"]),
    )
    plant = make_entity("140603", industry="hazardous_chemicals")
    make_entity("140603", industry="commerce_trade")  # no item applies: not in the directory
    draw = services.draw_create(
        actor=head,
        bureau=head.bureau,
        values=values(setup, items=[setup["item"], chemicals], default_ratio=10000),
    )
    draw = services.draw_commit(actor=head, draw=draw)
    assert draw.directory_size == 13  # twelve coal mines and the plant
    draw = services.draw_run(actor=head, draw=draw)
    tasks = InspectionTask.objects.filter(draw=draw)
    assert set(tasks.filter(entity=plant).values_list("item_id", flat=True)) == {chemicals.item_id}
    assert not tasks.exclude(entity=plant).filter(item_id=chemicals.item_id).exists()


def test_the_published_probabilities_are_each_rows_exact_fraction_and_decimal() -> None:
    """The file shares one text among the rows of one probability; each row must still read
    as its own fraction in lowest terms and its decimal (large weights included)."""
    import random
    from fractions import Fraction

    from anjian.draws import algorithm

    rng = random.Random(5)
    rows = [
        algorithm.DirectoryRow(
            f"U{i:05d}",
            rng.choice(["coal_mine", "metallurgy", "fireworks|140603"]),
            rng.choice([1, 7, 150, 3000, 2**32 - 1, rng.randint(1, 2**32 - 1)]),
            rng.random() < 0.03,
        )
        for i in range(600)
    ]
    directory = algorithm.Directory.from_rows(rows)
    quotas = dict.fromkeys(directory.stratum_keys, 30)
    numerators, denominators = algorithm.inclusion_probabilities(directory, quotas)
    lines = services.probabilities_text(directory, quotas).decode().splitlines()
    assert lines[0] == "uscc\tstratum\tprobability\tdecimal" and len(lines) == 601
    assert len({line.split("\t")[2] for line in lines[1:]}) > 10
    for line, u, h, n, d in zip(
        lines[1:], directory.usccs, directory.strata, numerators, denominators, strict=True
    ):
        fraction = Fraction(int(n), int(d))
        expected = f"{fraction.numerator}/{fraction.denominator}"
        assert line == f"{u}\t{h}\t{expected}\t{n / d:.6f}", line


def test_a_tampered_directory_fails_named_checks_without_a_traceback(setup, tmp_path) -> None:
    """With a stratum cut shorter than its quota, `draws verify` used to crash inside the
    sampling and print none of the checks that had already failed."""
    head = setup["head"]
    draw = services.draw_create(actor=head, bureau=head.bureau, values=values(setup))
    services.draw_commit(actor=head, draw=draw)
    drawn = services.draw_run(actor=head, draw=draw)
    path = tmp_path / drawn.directory_file
    lines = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    path.write_bytes(gzip.compress("".join(lines[:2]).encode()))  # keep one entity
    result = draw_verify(drawn)
    names = [name for name, _passed in result.checks]
    assert ("directory hash", False) in result.checks
    assert ("selection", False) in result.checks
    assert "inspector teams" in names and not result.ok
    assert ("secret matches commitment", True) in result.checks  # later checks still ran
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("draws", "verify", str(drawn.pk), stdout=out)
    printed = out.getvalue()
    assert "Traceback" not in printed and "selection" in printed and "✗" in printed
