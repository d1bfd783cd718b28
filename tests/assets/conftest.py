"""Fixtures shared by the assets tests (the staff side's live in staff_fixtures.py)."""
import pytest

from tests.assets.staff_fixtures import clerk_a, clerk_b, communes, province  # noqa: F401
from tests.second_province import second_province  # noqa: F401


@pytest.fixture
def folders(settings, tmp_path):
    """Public media and private files of a test in its own folders: (media, private)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.QRMAP_PRIVATE_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT, settings.QRMAP_PRIVATE_ROOT
