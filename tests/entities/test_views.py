"""The entity pages as an officer uses them: list and search, profile, forms, import, export."""

from __future__ import annotations

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from anjian.core.models import AuditEvent
from anjian.core.services import SYSTEM_ACTOR
from anjian.entities import selectors, services
from anjian.entities.models import Entity, ImportBatch, Licence
from tests.conftest import make_uscc

pytestmark = pytest.mark.django_db


def test_the_list_searches_by_two_characters_and_filters(org, login, make_entity) -> None:
    make_entity(name="山西焦煤集团平鲁煤业有限公司", key_supervision=True)
    make_entity(name="平鲁区鑫泰化工有限公司", industry="hazardous_chemicals")
    client = login(org["county_inspector"])
    page = client.get(reverse("entities:entity_list"), {"q": "焦煤"}).content.decode()
    assert "山西焦煤集团平鲁煤业有限公司" in page and "鑫泰化工" not in page
    page = client.get(reverse("entities:entity_list"), {"industry": "hazardous_chemicals"})
    assert "鑫泰化工" in page.content.decode() and "焦煤集团" not in page.content.decode()
    page = client.get(reverse("entities:entity_list"), {"key": "1"}).content.decode()
    assert "焦煤集团" in page and "鑫泰化工" not in page
    fragment = client.get(
        reverse("entities:entity_list"), {"q": "化工"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "鑫泰化工" in fragment and "<html" not in fragment


def test_the_list_of_a_county_holds_nothing_of_another(org, login, make_entity) -> None:
    make_entity("140525", name="泽州县焦煤化工有限公司")
    for name in ("entities:entity_list", "entities:filing_missing", "entities:licence_expiring"):
        content = login(org["county_inspector"]).get(reverse(name)).content.decode()
        assert "泽州县焦煤化工有限公司" not in content, name


def test_the_profile_masks_the_legal_representative_outside_the_owning_bureau(
    org, login, make_entity
) -> None:
    entity = make_entity(legal_representative="王小明")
    url = reverse("entities:entity_detail", kwargs={"uscc": entity.uscc})
    assert "王小明" in login(org["county_inspector"]).get(url).content.decode()
    city_view = login(org["city_head"]).get(url).content.decode()
    assert "王小明" not in city_view and "王*明" in city_view


def test_the_profile_shows_licences_filings_the_missing_filing_and_timeline(
    org, login, make_entity
) -> None:
    entity = make_entity(major_hazard_source=True)
    today = timezone.localdate()
    services.licence_create(
        entity=entity,
        licence_type="safety_production",
        number="（晋）MK安许证字〔2024〕0001号",
        valid_from=today - datetime.timedelta(days=1000),
        valid_until=today + datetime.timedelta(days=20),
    )
    services.filing_create(
        entity=entity, activity="emergency_plan", filed_on=today - datetime.timedelta(days=30)
    )
    page = login(org["county_inspector"]).get(
        reverse("entities:entity_detail", kwargs={"uscc": entity.uscc})
    )
    content = page.content.decode()
    assert "（晋）MK安许证字〔2024〕0001号" in content
    assert "aj-timeline" in content
    # a major hazard source with no 重大危险源备案 is flagged on its profile
    assert "alert-warning" in content


def test_registering_an_entity_through_the_form(org, login) -> None:
    code = make_uscc("140603", 42)
    response = login(org["county_inspector"]).post(
        reverse("entities:entity_create"),
        {
            "uscc": code,
            "name": "平鲁区新登记煤业有限公司",
            "industry": "coal_mine",
            "region": "140603",
            "business_status": "operating",
        },
    )
    assert response.status_code == 302
    assert Entity.objects.get(uscc=code).name == "平鲁区新登记煤业有限公司"


def test_a_name_with_a_direction_override_is_refused_on_the_field_in_chinese(org, login) -> None:
    code = make_uscc("140603", 43)
    response = login(org["county_inspector"]).post(
        reverse("entities:entity_create"),
        {
            "uscc": code,
            "name": "平鲁区\u202e司公限有业煤",
            "industry": "coal_mine",
            "region": "140603",
            "business_status": "operating",
            "address": "井坪镇\u2066南关村",
        },
    )
    assert response.status_code == 200 and not Entity.objects.filter(uscc=code).exists()
    assert "U+202E" in response.content.decode() and "文字方向" in response.content.decode()


def test_the_form_shows_the_check_character_error_on_the_field(org, login) -> None:
    code = make_uscc("140603", 42)
    wrong = code[:17] + ("1" if code[17] != "1" else "2")
    response = login(org["county_inspector"]).post(
        reverse("entities:entity_create"),
        {
            "uscc": wrong,
            "name": "某公司",
            "industry": "coal_mine",
            "region": "140603",
            "business_status": "operating",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["uscc"]
    assert not Entity.objects.exists()


def test_the_form_offers_only_counties_in_scope(org, login) -> None:
    form = login(org["county_inspector"]).get(reverse("entities:entity_create")).context["form"]
    assert [c for c, _l in form.fields["region"].choices if c] == ["140603"]


def test_upload_an_xlsx_with_a_bad_row_and_download_the_report(org, login) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["统一社会信用代码", "企业名称", "行业类别", "所属区县"])
    ws.append([make_uscc("140603", 1), "平鲁区甲煤业有限公司", "煤矿", "140603"])
    ws.append(["911406030000000000", "乙公司", "煤矿", "140603"])
    buffer = io.BytesIO()
    wb.save(buffer)
    client = login(org["county_inspector"])
    response = client.post(
        reverse("entities:import_upload"),
        {
            "kind": "entities",
            "file": SimpleUploadedFile("名单.xlsx", buffer.getvalue()),
        },
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("entities:import_detail", kwargs={"pk": batch.pk})
    detail = client.get(response["Location"]).content.decode()
    assert "911406030000000000" in detail
    report = client.get(reverse("entities:import_report", kwargs={"pk": batch.pk}))
    rows = list(
        openpyxl.load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True)
    )
    assert rows[1][:2] == (3, "统一社会信用代码")
    assert Entity.objects.count() == 1


def test_an_unreadable_upload_shows_the_reason_on_the_form(org, login) -> None:
    response = login(org["county_inspector"]).post(
        reverse("entities:import_upload"),
        {"kind": "entities", "file": SimpleUploadedFile("x.csv", b"\x00\x01\x02binary")},
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not ImportBatch.objects.exists()


def test_the_template_downloads_have_the_documented_headers(org, login) -> None:
    response = login(org["county_inspector"]).get(
        reverse("entities:import_template", kwargs={"kind": "licences"})
    )
    header = next(
        openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    )
    assert header[:3] == ("统一社会信用代码*", "许可证类型*", "许可证编号*")


def test_the_template_example_imports_cleanly(org, login) -> None:
    """The example row in the template must itself pass the checks it documents."""
    from anjian.entities.importing import entity_import

    content = (
        login(org["county_inspector"])
        .get(reverse("entities:import_template", kwargs={"kind": "entities"}))
        .content
    )
    batch = entity_import(actor=org["county_inspector"], source_file=content, file_name="t.xlsx")
    assert batch.rows_rejected == 0, batch.errors
    assert batch.rows_created == 1


def test_exports_escape_formulas_mask_personal_data_and_are_audited(
    org, login, make_entity
) -> None:
    make_entity(name="+平鲁区加号开头公司".lstrip("+"), legal_representative="王小明")
    Entity.objects.update(address="=1+2", name="-平鲁区减号开头公司")  # as if stored long ago
    client = login(org["city_head"])
    response = client.get(reverse("entities:entity_list"), {"export": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    row = rows[1]
    assert row[rows[0].index("企业名称")] == "'-平鲁区减号开头公司"
    assert row[rows[0].index("注册地址")] == "'=1+2"
    assert row[rows[0].index("法定代表人")] == "王*明"
    xlsx = client.get(reverse("entities:entity_list"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cells = next(iter(sheet.iter_rows(min_row=2, max_row=2)))
    address = cells[[c.value for c in sheet[1]].index("注册地址")]
    assert address.value == "=1+2" and address.data_type == "s"  # text, never a formula
    assert AuditEvent.objects.filter(action="entities.entity.exported").count() == 2


def test_an_export_round_trips_through_the_import_unchanged(org, login, make_entity) -> None:
    from anjian.entities.importing import entity_import

    make_entity(
        name="平鲁区往返煤业有限公司",
        former_names=["旧名一", "旧名二"],
        key_supervision=True,
        credit_grade="C",
        risk_level="significant",
        standardisation_grade="level_2",
    )
    make_entity(name="平鲁区未评级商贸有限公司", industry="commerce_trade")  # grade unknown
    client = login(org["county_inspector"])
    for language in ("zh-hans", "en"):  # labels are written in the reader's language
        content = client.get(
            reverse("entities:entity_list"),
            {"export": "xlsx"},
            headers={"Accept-Language": language},
        ).content
        header = next(
            openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
        )
        assert header[-3:] == ("信用等级", "风险等级", "安全生产标准化等级")
        batch = entity_import(
            actor=org["county_inspector"], source_file=content, file_name="e.xlsx"
        )
        assert batch.rows_rejected == 0, batch.errors
        assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged) == (0, 0, 2)
        # The grade column is read back as a note (ignored), never as a value.
        assert [e["row"] for e in batch.errors] == [1]
    stored = Entity.objects.get(name="平鲁区往返煤业有限公司")
    assert (stored.credit_grade, stored.risk_level) == ("C", "significant")
    assert stored.standardisation_grade == "level_2"


def test_expiring_licences_and_missing_filings_pages(org, login, make_entity) -> None:
    today = timezone.localdate()
    soon = make_entity(name="即将到期煤业有限公司")
    later = make_entity(name="远期到期煤业有限公司")
    for entity, days, number in ((soon, 10, "A1"), (later, 200, "A2")):
        services.licence_create(
            actor=SYSTEM_ACTOR,
            entity=entity,
            licence_type="safety_production",
            number=number,
            valid_until=today + datetime.timedelta(days=days),
        )
    services.filing_create(
        actor=SYSTEM_ACTOR, entity=later, activity="emergency_plan", filed_on=today
    )
    client = login(org["county_inspector"])
    expiring = client.get(reverse("entities:licence_expiring"), {"days": "30"}).content.decode()
    assert "即将到期煤业有限公司" in expiring and "远期到期煤业有限公司" not in expiring
    missing = client.get(reverse("entities:filing_missing")).content.decode()
    assert "即将到期煤业有限公司" in missing and "远期到期煤业有限公司" not in missing
    assert Licence.objects.count() == 2


def test_the_list_filters_by_credit_grade_and_risk_level(org, login, make_entity) -> None:
    make_entity(name="平鲁区甲级低险有限公司", credit_grade="A", risk_level="low")
    make_entity(name="平鲁区丁级重大有限公司", credit_grade="D", risk_level="major")
    make_entity(name="平鲁区未评级有限公司")
    client = login(org["county_inspector"])
    url = reverse("entities:entity_list")

    def names(params: dict[str, str]) -> set[str]:
        return {e.name for e in client.get(url, params).context["page"]}

    assert names({"grade": "A"}) == {"平鲁区甲级低险有限公司"}
    assert names({"risk": "major"}) == {"平鲁区丁级重大有限公司"}
    assert names({"grade": "D", "risk": "low"}) == set()
    assert len(names({"grade": "Z", "risk": "红"})) == 3  # not a choice: no filter
    assert (
        selectors.entity_list(
            user=org["county_inspector"], filters=selectors.EntityFilters(credit_grade="D")
        )
        .get()
        .name
        == "平鲁区丁级重大有限公司"
    )
    page = client.get(url, {"grade": "A"}, headers={"Accept-Language": "zh-hans"})
    assert '<option value="A" selected>A级</option>' in page.content.decode()


def test_the_form_sets_the_risk_level_and_never_the_grade(org, login) -> None:
    """The grade is not typed into the registry form: a posted grade is not read, an edit keeps
    the grade credit computed, and the profile shows it."""
    code = make_uscc("140603", 43)
    client = login(org["county_inspector"])
    form = {
        "uscc": code,
        "name": "平鲁区评级煤业有限公司",
        "industry": "coal_mine",
        "region": "140603",
        "business_status": "operating",
        "credit_grade": "B",
        "risk_level": "significant",
    }
    assert client.post(reverse("entities:entity_create"), form).status_code == 302
    entity = Entity.objects.get(uscc=code)
    assert (entity.credit_grade, entity.risk_level) == ("", "significant")
    Entity.objects.filter(pk=entity.pk).update(credit_grade="C")  # as credit computes it
    edit = reverse("entities:entity_edit", kwargs={"uscc": code})
    page = client.get(edit, headers={"Accept-Language": "zh-hans"})
    assert "credit_grade" not in page.context["form"].fields
    assert 'name="credit_grade"' not in page.content.decode()
    response = client.post(edit, {**form, "credit_grade": "A", "risk_level": "major"})
    assert response.status_code == 302
    entity.refresh_from_db()
    assert (entity.credit_grade, entity.risk_level) == ("C", "major")
    profile = client.get(
        reverse("entities:entity_detail", kwargs={"uscc": code}),
        headers={"Accept-Language": "zh-hans"},
    ).content.decode()
    assert "信用等级" in profile and "重大风险（红）" in profile
