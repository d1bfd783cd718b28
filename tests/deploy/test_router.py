"""The read replica router (qrmap/routers.py), against a second alias "replica" that points
at the same test database (a test mirror, as Django sets them up). The data is committed
(transactional tests) so that the second connection sees it; which alias each query used is
read from both connections' query logs.
"""
import contextlib

import pytest
from django.conf import settings
from django.db import connections, router, transaction
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token

from assets.models import Asset
from qrmap.routers import primary_reads, reads_from, replica_reads
from tests.assets.staff_fixtures import make_staff
from tests.factories import AssetFactory


@pytest.fixture
def django_db_setup(django_db_setup):
    """DATABASES["replica"] for this module's database tests: the default test database
    again, as Django's test mirror. Overriding django_db_setup puts it in place before
    pytest-django builds each test's case (which checks the aliases a test may use) and
    takes it away after that case is torn down, so no other module ever sees the alias."""
    default = connections["default"].settings_dict
    settings.DATABASES["replica"] = {**default, "TEST": {**default["TEST"], "MIRROR": "default"}}
    yield
    connections["replica"].close()
    del connections["replica"]
    del settings.DATABASES["replica"]


replica_db = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


@contextlib.contextmanager
def captured():
    """{'default': [sql, ...], 'replica': [sql, ...]} of the queries run inside."""
    found = {}
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        yield found
    found["default"] = [q["sql"] for q in primary.captured_queries]
    found["replica"] = [q["sql"] for q in replica.captured_queries]


def reads_assets(sqls) -> bool:
    return any("FROM \"assets_asset\"" in sql for sql in sqls)


@replica_db
def test_anonymous_reads_go_to_the_replica(geography, client):
    asset = AssetFactory(name_vi="Cầu Kỳ Lừa")
    with captured() as queries:
        assert client.get(f"/api/assets/{asset.code}/").status_code == 200
        assert client.get(f"/a/{asset.code}").status_code == 200
        assert client.get("/search/", {"q": "Kỳ Lừa"}).status_code == 200
    assert reads_assets(queries["replica"])
    # Raw SQL (the locator's map outline) uses django.db.connection, the primary, as
    # written; every query of the ORM went to the replica.
    assert not reads_assets(queries["default"])


@replica_db
def test_staff_tokens_and_posts_use_the_primary(geography, client):
    asset = AssetFactory()
    staff = make_staff("province", all_communes=True)
    token = Token.objects.create(user=staff)
    with captured() as queries:
        client.force_login(staff)  # the session cookie: every request of staff
        assert client.get(f"/api/assets/{asset.code}/").status_code == 200
        assert client.get(f"/a/{asset.code}").status_code == 200
        client.logout()
        assert client.get(f"/api/assets/{asset.code}/",
                          HTTP_AUTHORIZATION=f"Token {token.key}").status_code == 200
        posted = client.post(f"/a/{asset.code}/report/", {"problem": "damaged"})
        assert posted.status_code in (200, 302)
    assert reads_assets(queries["default"])
    assert queries["replica"] == []


@contextlib.contextmanager
def lagging_replica():
    """The replica as it was when the block began: a REPEATABLE READ snapshot on its
    connection, so that writes committed on the primary meanwhile are not seen there,
    as on a real replica that has not replayed them yet."""
    with transaction.atomic(using="replica"), connections["replica"].cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute('SELECT count(*) FROM "assets_asset"')
        yield


@replica_db
def test_staff_read_their_own_write_while_the_replica_lags(geography, client):
    asset = AssetFactory(name_vi="Chợ Đông Kinh")
    url = f"/api/assets/{asset.code}/"
    staff = make_staff("province", all_communes=True)
    staff_client = type(client)()
    staff_client.force_login(staff)

    with lagging_replica():
        changed = staff_client.patch(url, {"name_vi": "Chợ Đông Kinh mới"},
                                     content_type="application/json")
        assert changed.status_code == 200, changed.content
        # Right after the save, the member of staff sees it...
        assert staff_client.get(url).json()["properties"]["name_vi"] == "Chợ Đông Kinh mới"
        # ...while a visitor reads the replica, which has not caught up yet.
        assert client.get(url).json()["properties"]["name_vi"] == "Chợ Đông Kinh"
    assert client.get(url).json()["properties"]["name_vi"] == "Chợ Đông Kinh mới"


@replica_db
def test_inside_replica_reads_writes_and_transactions_read_the_primary(geography):
    asset = AssetFactory()
    # Outside a request (a Celery task, a command): the primary.
    assert router.db_for_read(Asset) == "default"
    with replica_reads():
        assert router.db_for_read(Asset) == reads_from() == "replica"
        with primary_reads():
            assert router.db_for_read(Asset) == "default"
        with transaction.atomic():
            assert router.db_for_read(Asset) == "default"
        assert router.db_for_read(Asset) == "replica"
        with captured() as queries:
            found = Asset.objects.get(pk=asset.pk)
            found.save(update_fields=["updated_at"])
            Asset.objects.get(pk=asset.pk)  # after its own write: from the primary
        assert reads_assets(queries["replica"][:1])
        assert reads_assets(queries["default"][-1:])
    assert router.db_for_read(Asset) == "default"
    assert router.db_for_write(Asset) == "default"


def test_without_a_replica_everything_reads_the_primary():
    assert "replica" not in settings.DATABASES
    with replica_reads():
        assert router.db_for_read(Asset) == "default"
    assert router.allow_migrate("default", "assets")
    assert not router.allow_migrate("replica", "assets")
