"""Fixtures of the runtime tests (the staff ones are shared with tests/assets)."""
from tests.assets.staff_fixtures import communes  # noqa: F401 - a fixture, found by name
