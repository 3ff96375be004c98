"""What an entity export and an import template hold.

The export uses the import layout's headers (docs/import-format.md), so an exported list can be
corrected in Excel and imported again. Personal data stays masked for anyone outside the owning
bureau, in the file as on the page; the import recognises such a masked value and keeps what is
stored instead of overwriting it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from anjian.core.masking import mask_person_name
from anjian.entities.importing import COLUMNS, ENTITY_COLUMNS
from anjian.entities.models import Entity, ImportKind
from anjian.entities.selectors import entity_personal_data_visible

REGION_NAME_HEADER = "区县名称"


def entity_export_header() -> list[str]:
    headers = [c.header for c in ENTITY_COLUMNS]
    headers.insert(headers.index("所属区县") + 1, REGION_NAME_HEADER)
    return headers


def entity_export_rows(*, user: Any, entities: Iterable[Entity]) -> Iterator[list[Any]]:
    for e in entities:
        legal = e.legal_representative
        if not entity_personal_data_visible(user=user, entity=e):
            legal = mask_person_name(legal)
        region_name = e.region.name if e.region_id else ""
        if e.region_id and e.region.parent is not None:
            region_name = e.region.parent.name + region_name
        yield [
            e.uscc,
            e.name,
            e.get_industry_display(),
            e.region_id,
            region_name,
            "；".join(e.former_names),
            e.sub_sector,
            e.address,
            legal,
            e.get_business_status_display(),
            e.get_scale_display() if e.scale else "",
            e.established_on,
            e.key_supervision,
            e.new_business_form,
            e.observation_start,
            e.observation_end,
            e.major_hazard_source,
            e.get_credit_grade_display() if e.credit_grade else "",
            e.get_risk_level_display() if e.risk_level else "",
            e.get_standardisation_grade_display() if e.standardisation_grade else "",
        ]


_EXAMPLES = {
    ImportKind.ENTITIES: {
        "uscc": "91140603MA0K1234XE",
        "name": "朔州市平鲁区示例煤业有限公司",
        "industry": "煤矿",
        "region": "140603",
        "former_names": "平鲁区示例煤矿",
        "sub_sector": "0610",
        "address": "山西省朔州市平鲁区井坪镇",
        "legal_representative": "张三",
        "business_status": "在营",
        "scale": "中型",
        "established_on": "2008-05-20",
        "key_supervision": "是",
        "new_business_form": "否",
        "major_hazard_source": "否",
        "credit_grade": "B级",
        "risk_level": "较大风险",
        "standardisation_grade": "二级",
    },
    ImportKind.LICENCES: {
        "uscc": "91140603MA0K1234XE",
        "licence_type": "安全生产许可证",
        "number": "（晋）MK安许证字〔2024〕0001号",
        "issuing_authority": "山西省应急管理厅",
        "scope": "煤炭开采",
        "valid_from": "2024-03-01",
        "valid_until": "2027-02-28",
        "status": "有效",
    },
    ImportKind.FILINGS: {
        "uscc": "91140603MA0K1234XE",
        "activity": "应急预案备案",
        "number": "140603-2025-001",
        "authority": "朔州市平鲁区应急管理局",
        "filed_on": "2025-04-10",
        "valid_until": "2028-04-09",
    },
}


def import_template_rows(kind: str) -> tuple[list[str], list[str]]:
    """The header row (required columns marked *) and one example row."""
    columns = COLUMNS[kind]
    header = [c.header + ("*" if c.required else "") for c in columns]
    example = [_EXAMPLES[ImportKind(kind)].get(c.key, "") for c in columns]
    return header, example
