"""The draw pages as an officer and the public use them: configure, commit, reveal and draw;
the public page shows the commitment at once and the secret and selection once the inspections
are over; the published directory hashes to the published hash; a redo needs a reason."""

from __future__ import annotations

import datetime
import hashlib
import io
import re

import pytest
from django.urls import reverse

from anjian.accounts.models import User
from anjian.draws import services
from anjian.draws.models import Draw

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(org, make_user, make_entity, make_certificate, make_item):
    head = make_user("140600", ["division_head"], username="sz_head")
    rc = services.random_check_item_add(actor=head, bureau=head.bureau, item=make_item())
    mines = [make_entity("140603" if n % 2 else "140602") for n in range(8)]
    for n, region in enumerate(["140600", "140600", "140600", "140603", "140602"]):
        make_certificate(
            make_user(region, ["inspector"], username=f"i{n}"), specialties=["coal_mine"]
        )
    return {"head": head, "rc": rc, "mines": mines}


FORM = {
    "title": "2026年第三批煤矿双随机抽查",
    "inspection_from": "2026-07-01",
    "inspection_until": "2026-08-31",
    "strata_by": "industry",
    "default_ratio": "2500",
    "recent_months": "0",
    "recent_factor": "100",
    "inspectors_per_entity": "2",
    "avoid_own_county": "on",
    "max_per_inspector": "20",
    "ratio_D_major": "10000",
}


def _draft(setup, title: str, **values) -> Draw:
    """A draft of the city through the service: the setup's item, half of each stratum, and
    inspections in July and August 2026 (over by now, so the portal shows the result)."""
    head = setup["head"]
    fields = {
        "items": [setup["rc"]],
        "inspection_from": datetime.date(2026, 7, 1),
        "inspection_until": datetime.date(2026, 8, 31),
        "default_ratio": 5000,
        **values,
    }
    return services.draw_create(
        actor=head, bureau=head.bureau, values=services.DrawValues(title=title, **fields)
    )


def test_an_officer_draws_and_the_public_checks_it(client, setup, login) -> None:
    head = login(setup["head"])
    response = head.post(reverse("draws:draw_new"), {**FORM, "items": [setup["rc"].pk]})
    draw = Draw.objects.get()
    assert response["Location"] == reverse("draws:draw_detail", kwargs={"pk": draw.pk})
    assert draw.ratios == {"D|major": 10000}
    # Before the commitment, nothing is public.
    assert client.get(reverse("draws:portal_detail", kwargs={"pk": draw.pk})).status_code == 404

    head.post(reverse("draws:draw_step", kwargs={"pk": draw.pk}), {"action": "commit"})
    draw.refresh_from_db()
    public = client.get(reverse("draws:portal_detail", kwargs={"pk": draw.pk})).content.decode()
    assert draw.commitment in public and draw.directory_hash in public
    assert draw.secret not in public
    directory = client.get(
        reverse("draws:portal_file", kwargs={"pk": draw.pk, "kind": "directory"})
    ).content
    assert hashlib.sha256(directory).hexdigest() == draw.directory_hash

    head.post(reverse("draws:draw_step", kwargs={"pk": draw.pk}), {"action": "run"})
    draw.refresh_from_db()
    assert draw.status == "drawn" and draw.selections.count() == 2
    page = head.get(reverse("draws:draw_detail", kwargs={"pk": draw.pk})).content.decode()
    first = draw.selections.first()
    assert first.entity.uscc in page
    # The drawn team, by name and in drawn order, beside its entity.
    names = [u.full_name or u.username for u in first.team_members()]
    assert len(names) == 2 and "、".join(names) in page
    # The inspections ended on 2026-08-31: the public sees the secret and the selection.
    public = client.get(reverse("draws:portal_detail", kwargs={"pk": draw.pk})).content.decode()
    assert draw.secret in public and first.entity.name in public
    assert "、".join(names) in public
    assert hashlib.sha256(bytes.fromhex(draw.secret)).hexdigest() == draw.commitment


def test_the_selection_stays_private_until_the_inspections_end(client, setup, login) -> None:
    head = setup["head"]
    draw = _draft(
        setup,
        "下月抽查",
        inspection_from=datetime.date(2099, 1, 1),
        inspection_until=datetime.date(2099, 1, 31),
    )
    services.draw_commit(actor=head, draw=draw)
    services.draw_run(actor=head, draw=draw)
    draw.refresh_from_db()
    public = client.get(reverse("draws:portal_detail", kwargs={"pk": draw.pk})).content.decode()
    assert draw.commitment in public and draw.secret not in public
    assert all(s.entity.name not in public for s in draw.selections.all())
    assert (
        client.get(
            reverse("draws:portal_file", kwargs={"pk": draw.pk, "kind": "assignment-inputs"})
        ).status_code
        == 404
    )


def test_a_redo_through_the_page_needs_a_reason_and_both_stay_public(client, setup, login) -> None:
    head = login(setup["head"])
    head.post(reverse("draws:draw_new"), {**FORM, "items": [setup["rc"].pk]})
    first = Draw.objects.get()
    head.post(reverse("draws:draw_step", kwargs={"pk": first.pk}), {"action": "commit"})
    refused = head.post(
        reverse("draws:draw_redo", kwargs={"pk": first.pk}), {**FORM, "items": [setup["rc"].pk]}
    )
    assert refused.status_code == 200 and Draw.objects.count() == 1
    head.post(
        reverse("draws:draw_redo", kwargs={"pk": first.pk}),
        {
            **FORM,
            "items": [setup["rc"].pk],
            "redo_reason": "名录库漏了新登记的煤矿，联系人：赵志勇，电话13834901234",
        },
    )
    redo = Draw.objects.exclude(pk=first.pk).get()
    assert redo.redo_of == first
    head.post(reverse("draws:draw_step", kwargs={"pk": redo.pk}), {"action": "commit"})
    listing = client.get(reverse("draws:portal_list")).content.decode()
    assert (
        f"#{first.pk}" in listing
        and reverse("draws:portal_detail", kwargs={"pk": first.pk}) in listing
    )
    page = client.get(reverse("draws:portal_detail", kwargs={"pk": first.pk})).content.decode()
    assert "名录库漏了新登记的煤矿" in page
    # The reason is published, through the masking service: whoever the officer named stays private.
    assert "赵志勇" not in page and "13834901234" not in page


def test_an_inspector_declares_a_conflict(setup, login, org) -> None:
    entity = setup["mines"][1]  # 140603
    inspector = login(org["county_inspector"])
    inspector.post(
        reverse("draws:conflict_list"), {"uscc": entity.uscc, "reason": "配偶在该企业任职"}
    )
    page = inspector.get(reverse("draws:conflict_list")).content.decode()
    assert entity.name in page and "配偶在该企业任职" in page
    other = setup["mines"][0]  # 140602: outside 平鲁区
    response = inspector.post(reverse("draws:conflict_list"), {"uscc": other.uscc, "reason": "x"})
    assert response.status_code == 200 and other.name not in response.content.decode()


def test_the_drawn_entities_export_to_excel_with_their_teams(setup, login) -> None:
    from openpyxl import load_workbook

    from anjian.core.models import AuditEvent

    head = setup["head"]
    draw = _draft(setup, "导出测试")
    url = reverse("draws:draw_export", kwargs={"pk": draw.pk})
    assert login(head).get(url).status_code == 404  # nothing drawn yet
    services.draw_commit(actor=head, draw=draw)
    services.draw_run(actor=head, draw=draw)
    response = login(head).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('result.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert header[0] == "统一社会信用代码" and header[7] == "执法人员"
    selections = list(draw.selections.order_by("entity__uscc"))
    assert [r[0] for r in rows] == [s.entity.uscc for s in selections]
    first = selections[0]
    assert rows[0][1] == first.entity.name
    assert rows[0][7] == "、".join(u.full_name or u.username for u in first.team_members())
    assert abs(rows[0][5] - first.probability) < 1e-6
    assert {r[4] for r in rows} == {"煤矿"}  # the stratum in words, not `coal_mine`
    exported = AuditEvent.objects.get(action="draws.draw.exported")
    assert exported.changes == {"format": "xlsx", "rows": len(selections)}


def test_forced_codes_are_taken_as_officers_paste_them(setup, login) -> None:
    head = login(setup["head"])
    a, b = setup["mines"][0], setup["mines"][1]
    pasted = f"{a.uscc}\t{a.name}\r\n{b.uscc.lower()}，{a.uscc}\n\n"  # a spreadsheet row, etc.
    head.post(reverse("draws:draw_new"), {**FORM, "items": [setup["rc"].pk], "forced": pasted})
    assert Draw.objects.get().forced == [a.uscc, b.uscc]


def test_a_mistyped_forced_code_is_named_and_nothing_is_saved(setup, login) -> None:
    head = login(setup["head"])
    good = setup["mines"][0].uscc
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    response = head.post(
        reverse("draws:draw_new"),
        {**FORM, "items": [setup["rc"].pk], "forced": f"{good}\n{wrong}\n某某煤业"},
    )
    assert response.status_code == 200 and not Draw.objects.exists()
    page = response.content.decode()
    assert wrong in page and "校验" in page  # the check character is wrong
    assert "第3行" in page  # the line without a code


def test_the_officer_sees_who_was_kept_off_each_team_and_why(setup, client, login) -> None:

    head = setup["head"]
    mine = setup["mines"][0]
    kept = User.objects.get(username="i0")
    kept.full_name = "张回避"
    kept.save()
    services.conflict_declare(actor=head, inspector=kept, entity=mine, reason="配偶在该企业任职")
    form = {**FORM, "items": [setup["rc"].pk], "forced": mine.uscc}  # drawn for sure
    login(head).post(reverse("draws:draw_new"), form)
    draw = Draw.objects.get()
    login(head).post(reverse("draws:draw_step", kwargs={"pk": draw.pk}), {"action": "commit"})
    login(head).post(reverse("draws:draw_step", kwargs={"pk": draw.pk}), {"action": "run"})
    selection = draw.selections.get(entity=mine)
    assert kept.pk not in selection.team
    page = login(head).get(reverse("draws:draw_detail", kwargs={"pk": draw.pk})).content.decode()
    assert "回避：张回避（回避申报）" in page
    # The public page lists the result but not who was kept off for a declared conflict.
    public = client.get(reverse("draws:portal_detail", kwargs={"pk": draw.pk})).content.decode()
    assert mine.name in public and "（回避申报）" not in public


def test_the_yes_no_settings_are_checkboxes_with_their_labels(setup, login) -> None:
    # Bootstrap's form-control on a checkbox drew it as an empty full-width bar, with its label
    # above it: officers could not tell "only key-supervision entities" was a setting at all.
    html = login(setup["head"]).get(reverse("draws:draw_new")).content.decode()
    for name in ("key_supervision_only", "major_hazard_only", "avoid_own_county"):
        box = re.search(rf'<div class="form-check">(<input [^>]*name="{name}"[^>]*>) <label', html)
        assert box, name
        assert 'type="checkbox"' in box.group(1) and 'class="form-check-input"' in box.group(1)
    assert not re.search(r'<input type="checkbox"[^>]*form-control', html)


def test_nobody_in_the_bureau_sees_the_secret_before_the_draw(setup, login) -> None:
    # With the secret and the published directory anyone can work the result out before the
    # draw, and an officer who did not like it could redo the committed draw (ADR 0006).
    head = login(setup["head"])
    head.post(reverse("draws:draw_new"), {**FORM, "items": [setup["rc"].pk]})
    draw = Draw.objects.get()
    head.post(reverse("draws:draw_step", kwargs={"pk": draw.pk}), {"action": "commit"})
    draw.refresh_from_db()
    assert draw.status == "committed" and draw.secret
    inspector = login(User.objects.get(username="i0"))  # same bureau, may read the draw
    detail = reverse("draws:draw_detail", kwargs={"pk": draw.pk})
    for viewer in (head, inspector):
        page = viewer.get(detail)
        assert page.status_code == 200
        html = page.content.decode()
        assert draw.commitment in html and draw.secret not in html
        for kind in ("directory", "probabilities", "inspectors"):
            body = viewer.get(reverse("draws:draw_file", kwargs={"pk": draw.pk, "kind": kind}))
            assert body.status_code == 200 and draw.secret.encode() not in body.content
    assert draw.secret not in head.get(f"/api/draws/{draw.pk}").content.decode()

    head.post(reverse("draws:draw_step", kwargs={"pk": draw.pk}), {"action": "run"})
    draw.refresh_from_db()
    html = head.get(detail).content.decode()
    assert draw.status == "drawn" and draw.secret in html and draw.seed in html


def test_strata_read_in_words_with_their_keys_at_hand(setup, login, client) -> None:
    head = setup["head"]
    draw = _draft(setup, "按县分层", strata_by="industry_region")
    draw = services.draw_commit(actor=head, draw=draw)
    assert set(draw.quotas) == {"coal_mine|140602", "coal_mine|140603"}
    services.draw_run(actor=head, draw=draw)
    pages = [
        login(head).get(reverse("draws:draw_detail", kwargs={"pk": draw.pk})),
        client.get(reverse("draws:portal_detail", kwargs={"pk": draw.pk})),  # after the window
    ]
    for page in pages:
        html = page.content.decode()
        # The quotas: county and industry by name, the published key kept for machines.
        for key, words in (
            ("coal_mine|140602", "煤矿 · 朔城区"),
            ("coal_mine|140603", "煤矿 · 平鲁区"),
        ):
            quota = re.search(rf'<span [^>]*data-key="{re.escape(key)}">([^<]*)</span>', html)
            assert quota and quota.group(1) == f"{words} {draw.quotas[key]}"
        # The drawn entities' stratum column too.
        assert re.search(r'<td class="small" data-stratum="coal_mine\|14060[23]">煤矿 · ', html)


def test_the_list_counts_the_drawn_entities_under_a_header_that_says_so(setup, login) -> None:
    head = setup["head"]
    draw = _draft(setup, "计数")
    services.draw_run(actor=head, draw=services.draw_commit(actor=head, draw=draw))
    html = login(head).get(reverse("draws:draw_list")).content.decode()
    header = re.findall(r"<th>([^<]*)</th>", html)
    row = re.findall(r"<td>([^<]*)</td>", html.split("计数")[1].split("</tr>")[0])
    # The column that holds the count is headed as a count (it said 抽取时间, "drawn at").
    assert header[5] == "抽中企业数" and "抽取时间" not in header
    assert row[-1] == str(draw.selections.count())


def test_the_parameters_read_in_words_on_both_pages(setup, login, client) -> None:
    head = login(setup["head"])
    form = {
        **FORM,
        "items": [setup["rc"].pk],
        "industries": ["coal_mine"],
        "regions": ["140603"],
        "ratio_C_significant": "3000",
    }
    head.post(reverse("draws:draw_new"), form)
    draw = Draw.objects.get()
    head.post(reverse("draws:draw_step", kwargs={"pk": draw.pk}), {"action": "commit"})
    pages = [
        head.get(reverse("draws:draw_detail", kwargs={"pk": draw.pk})),
        client.get(reverse("draws:portal_detail", kwargs={"pk": draw.pk})),
    ]
    for page in pages:
        html = page.content.decode()
        # The item by its name, the filters and the ratio table by theirs, not by their codes.
        assert "对煤矿企业瓦斯防治情况的行政检查" in html
        assert "煤矿 · 平鲁区" in html and "coal_mine" not in html.replace(
            'data-stratum="coal_mine', ""
        ).replace('data-key="coal_mine', "")
        assert "D级 · 重大风险（红）：10000/10000" in html
        assert "C级 · 较大风险（橙）：3000/10000" in html
        assert "D|major" not in html


def test_before_committing_the_officer_sees_what_would_be_frozen(setup, login) -> None:
    from anjian.core.models import AuditEvent

    head = login(setup["head"])
    head.post(reverse("draws:draw_new"), {**FORM, "items": [setup["rc"].pk]})
    draw = Draw.objects.get()
    detail = head.get(reverse("draws:draw_detail", kwargs={"pk": draw.pk})).content.decode()
    preview_url = reverse("draws:draw_preview", kwargs={"pk": draw.pk})
    assert f'hx-get="{preview_url}"' in detail  # the draft's page loads it
    events = AuditEvent.objects.count()

    html = head.get(preview_url).content.decode()
    # 8 coal mines at 25 %: 2 drawn; 5 inspectors with valid certificates, 20 places each.
    assert "名录库将包含8家企业，将抽取2家" in html
    assert re.search(r'data-key="coal_mine">煤矿 2</span>', html)
    assert "5名执法人员" in html and "100" in html and "需4人次" in html
    assert "无法为每家" not in html
    assert AuditEvent.objects.count() == events and Draw.objects.get().status == "draft"

    # A workload limit of 1 leaves 5 places for 2 teams of 3: the page says so before the
    # commitment, not after the draw.
    Draw.objects.filter(pk=draw.pk).update(max_per_inspector=1, inspectors_per_entity=3)
    html = head.get(preview_url).content.decode()
    assert "最多还可承担5人次；检查组需6人次" in html and "无法为每家" in html

    # A forced code outside the directory is named now, not at the commitment.
    outside = "91140100MA0000000X"
    Draw.objects.filter(pk=draw.pk).update(forced=[outside])
    html = head.get(preview_url).content.decode()
    assert outside in html and "名录库将包含" not in html

    Draw.objects.filter(pk=draw.pk).update(forced=[])
    services.draw_commit(actor=setup["head"], draw=Draw.objects.get())
    assert head.get(preview_url).status_code == 404  # frozen: the record says it now
