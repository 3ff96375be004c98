"""The accident chain of bureaus, entities and users (tests/accidents/conftest.py)."""

from tests.accidents.conftest import chain  # noqa: F401
