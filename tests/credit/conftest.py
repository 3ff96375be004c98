from tests.cases.conftest import world  # noqa: F401  (the county, its officers, a coal mine)
