from tests.cases.conftest import world  # noqa: F401  (the county, its officers, a coal mine)
from tests.inspections.conftest import site  # noqa: F401  (an item, a mine, two inspectors)
