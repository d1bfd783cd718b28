"""State shared between processes lives in Redis: an edit made through one gunicorn worker
shows at once through every other, and the API throttle counts across workers."""
import urllib.error
import urllib.request

import pytest

from assets.access import SYSTEM
from assets.services.registry import asset_update
from tests.factories import AssetFactory
from tests.runtime_processes import Gunicorn

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
WORKERS = 3


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_an_edit_shows_at_once_in_every_worker_and_limits_count_once(geography, tmp_path):
    asset = AssetFactory(name_vi="Chợ Đông Kinh cũ")
    server = Gunicorn(log=tmp_path / "gunicorn.log", workers=WORKERS,
                      QRMAP_API_ANON_RATE="12/minute")
    try:
        url = f"{server.url}/a/{asset.code}?lang=vi"
        # Many requests, so that every worker has rendered and cached the page.
        assert all("Chợ Đông Kinh cũ" in _get(url)[1] for _ in range(6 * WORKERS))
        # The edit happens in yet another process (this one), through the service.
        asset_update(user=SYSTEM, asset=asset, fields={"name_vi": "Chợ Đông Kinh mới"})
        pages = [_get(url)[1] for _ in range(6 * WORKERS)]
        assert all("Chợ Đông Kinh mới" in page for page in pages)
        # 12 API requests a minute for this client, whichever worker answers each.
        statuses = [_get(f"{server.url}/api/units/?page_size=1")[0] for _ in range(16)]
        assert statuses.count(200) == 12 and statuses.count(429) == 4
    finally:
        server.stop()
