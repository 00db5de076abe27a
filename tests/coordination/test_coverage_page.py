"""/coverage/ as a page: changing 集計の軸 drops a map item of the other axis."""

import pytest

from tests.factories.directory import AreaFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    MunicipalityFactory()
    return AreaFactory(name="北小学校区", sort_order=1)


def test_switching_axis_drops_a_stale_term(client, district):
    response = client.get("/coverage/", {"dimension": "category", "term": "older-people"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "older-people" not in html
    assert '<option value="" selected>掲載数の合計</option>' in html


def test_a_term_of_the_chosen_axis_is_kept(client, district):
    response = client.get("/coverage/", {"dimension": "target", "term": "older-people"})
    assert response.status_code == 200
    assert 'value="older-people" selected' in response.content.decode()
