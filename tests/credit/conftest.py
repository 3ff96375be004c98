"""Fixtures of the credit tests: the cases' and inspections' small worlds, and the demo's
credit story loaded once per module (`credit_demo`)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from tests.cases.conftest import world  # noqa: F401  (the county, its officers, a coal mine)
from tests.inspections.conftest import site  # noqa: F401  (an item, a mine, two inspectors)


@pytest.fixture(scope="module")
def credit_demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The demo up to its credit story (organisations, catalog, 1,500 entities, plans,
    inspections, cases and credit), loaded once for a module in a transaction rolled back at
    its end; each test runs in a savepoint of it, so what one test writes the next does not see.
    """
    from anjian.demo import (
        demo_catalog_load,
        demo_credit_load,
        demo_entities_load,
        demo_inspections_load,
        demo_organisations_load,
        demo_plans_load,
    )

    with django_db_blocker.unblock(), transaction.atomic():
        demo_organisations_load()
        demo_catalog_load()
        demo_entities_load(entities=1500)
        demo_plans_load()
        demo_inspections_load()
        demo_credit_load()
        yield
        transaction.set_rollback(True)
