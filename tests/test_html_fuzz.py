"""The HTML pages never answer a query string with a server error: Hypothesis sends each one
any Unicode (NUL included), long values and repeated keys, under the names the page reads
and under any other name, as a signed-in planner (so /planning/ runs its forms too)."""
from urllib.parse import quote, urlencode

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.assets.staff_fixtures import make_staff
from tests.factories import AssetFactory

PAGES = {
    "/search/": ["q", "lang"],
    "/near/": ["lat", "lon", "lang"],
    "/maps/assets/": ["kind", "category", "commune", "focus", "lang"],
    "/maps/coverage/": ["commune", "sort", "theme", "lang"],
    "/planning/": ["commune", "sort", "action", "sites", "radius", "from", "k",
                   "extra_points", "lang"],
    "/a/{code}": ["lang"],
    "/Q/{code}": ["lang"],
    "/ogc/collections/assets/items?f=html&": ["f", "limit", "offset", "bbox", "datetime",
                                              "bbox-crs", "kind", "category", "commune",
                                              "status"],
}
# Any character UTF-8 can carry (NUL included); long values are built cheaply by repeating.
TEXT = st.text(st.characters(codec="utf-8"), max_size=40)
LONG = st.builds(lambda text, times: text * times, st.text(st.characters(codec="utf-8"),
                                                           min_size=1, max_size=3),
                 st.integers(300, 3000))
NUMBERS = st.sampled_from(["21.85", "106.76", "-1", "0", "1e309", "nan", "inf", "05977",
                           "2025-07-01", "..", "3", "10001", "scenario", "proposal", "registry"])


def _value():
    return st.one_of(TEXT, LONG, NUMBERS)


@pytest.fixture
def planner(geography):
    client = Client()
    client.force_login(make_staff("planner", roles=("planner",)))
    return client, AssetFactory(name_vi="Chùa Tam Thanh").code


# One example is one GET, so each page gets its 80 cases in a few seconds; the client and
# the asset of the fixture are shared by the examples of a page on purpose.
@pytest.mark.django_db
@pytest.mark.parametrize("page", list(PAGES))
@settings(max_examples=80, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_no_query_string_is_a_server_error(page, planner, data):
    client, code = planner
    names = st.one_of(st.sampled_from(PAGES[page]), TEXT)
    pairs = data.draw(st.lists(st.tuples(names, _value()), max_size=8), label="query")
    path = page
    if "{code}" in page:
        typed = data.draw(st.one_of(st.just(code), st.just(code.lower()), TEXT, LONG),
                          label="code")
        path = page.format(code=quote(typed, safe="") or "-")
    separator = "" if path.endswith("&") else "?"
    response = client.get(f"{path}{separator}{urlencode(pairs)}")
    assert response.status_code < 500, (path, pairs)
