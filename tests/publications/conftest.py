from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone
from stdnum.cn import ric

from anjian.core.services import SYSTEM_ACTOR
from anjian.publications.services import publication_schedule

ID_NUMBER = "14060219850312451" + ric.calc_check_digit("14060219850312451" + "0")
FACTS = (
    f"经查，当事人张三（公民身份号码：{ID_NUMBER}，住址：山西省朔州市平鲁区井坪镇新建街12号，"
    "联系电话：13812345678）于2026年3月5日在未取得安全生产许可证的情况下组织生产。"
)


@pytest.fixture
def schedule(make_entity: Callable[..., Any]) -> Callable[..., Any]:
    """Schedule a penalty decision's publication for an entity of `region` (as the system)."""
    from tests.conftest import _bureau

    counter = {"n": 0}

    def make(
        region: str = "140603",
        *,
        decided_on: datetime.date | None = None,
        period_months: int = 12,
        individual: bool = False,
        actor: Any = SYSTEM_ACTOR,
        **fields: str,
    ) -> Any:
        counter["n"] += 1
        entity = make_entity(region)
        values = {
            "party_name": "张三" if individual else entity.name,
            "party_uscc": "" if individual else entity.uscc,
            "decision_number": f"平应急罚〔2026〕{counter['n']}号",
            "facts": FACTS if individual else "未按规定对从业人员进行安全生产教育和培训。",
            "fine_amount": "50000",
            **fields,
        }
        return publication_schedule(
            actor,
            subject=entity,
            bureau=_bureau(region),
            kind="penalty_decision",
            decided_on=decided_on or timezone.localdate(),
            fields=values,
            period_months=period_months,
        )

    return make
