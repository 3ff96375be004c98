"""The accident chain of bureaus, entities and users (tests/accidents/conftest.py)."""

from tests.accidents.conftest import chain  # noqa: F401
from tests.enterprise.conftest import activate, entity_file, own, principal  # noqa: F401
