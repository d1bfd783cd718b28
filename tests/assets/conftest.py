"""Fixtures shared by the assets tests (the staff side's live in staff_fixtures.py)."""
from tests.assets.staff_fixtures import clerk_a, clerk_b, communes, province  # noqa: F401
from tests.second_province import second_province  # noqa: F401
