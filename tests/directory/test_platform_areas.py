"""The PF's own areas: after load_municipalities every municipality of Japan is an Area, but
members, residents and editors choose only from the PF's districts and their municipalities."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from directory.membership.forms import MembershipApplicationForm
from directory.models import Area
from directory.vocabulary import local_area_choices
from directory.wagtail_admin.editor import map_pin_js
from matching.candidates import load_vocabulary
from tests.factories.directory import (
    AreaFactory,
    EditorFactory,
    MemberFactory,
    MunicipalityFactory,
    PlacePageFactory,
    municipality_code,
)
from tests.factories.membership import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    """Our municipality with one 小学校区, and a municipality only the registry knows."""
    ours = MunicipalityFactory(
        centroid_lat=Decimal("35.800000"), centroid_lng=Decimal("139.400000")
    )
    district = AreaFactory(parent=ours, name="みなみ小学校区", centroid_lat=Decimal("35.810000"))
    registry_only = Area.objects.create(
        code=municipality_code(991),
        name="よその町",
        level=Area.Level.MUNICIPALITY,
        parent=ours.parent,
        centroid_lat=Decimal("43.000000"),
        centroid_lng=Decimal("141.000000"),
    )
    return ours, district, registry_only


def test_for_platform_is_the_districts_and_the_municipalities_holding_them(areas):
    ours, district, _registry_only = areas
    assert set(Area.objects.for_platform()) == {ours, district}


def test_a_pf_without_districts_yet_offers_every_municipality():
    first = MunicipalityFactory()
    second = Area.objects.create(
        code=municipality_code(992),
        name="となり町",
        level=Area.Level.MUNICIPALITY,
        parent=first.parent,
    )
    assert set(Area.objects.for_platform()) == {first, second}


def test_join_form_and_matching_offer_only_the_pf_areas(areas):
    ours, district, registry_only = areas
    offered = set(MembershipApplicationForm().fields["areas"].queryset)
    assert offered == {ours, district}
    codes = {code for code, _ in local_area_choices()}
    assert registry_only.code not in codes and district.code in codes
    assert registry_only.code not in load_vocabulary().areas


def test_listing_editor_offers_pf_areas_and_keeps_saved_other_ones(areas):
    _ours, district, registry_only = areas
    member = MemberFactory()
    kept = PlacePageFactory(member=member, area=registry_only, service_areas=[registry_only])
    plain = PlacePageFactory(member=member, area=district)
    client = logged_in(EditorFactory(member=member))

    def offered(listing):
        """The area ids the 対象地域 checkboxes offer."""
        html = client.get(reverse("wagtailadmin_pages:edit", args=[listing.pk])).content.decode()
        return {int(pk) for pk in re.findall(r'name="service_areas" value="(\d+)"', html)}

    assert district.pk in offered(plain) and registry_only.pk not in offered(plain)
    assert registry_only.pk in offered(kept)  # saved: kept, so saving never drops it


@pytest.mark.usefixtures("areas")
def test_area_chooser_lists_and_finds_only_pf_areas():
    client = logged_in(EditorFactory(member=MemberFactory()))
    url = "/admin/snippets/choose/directory/area/"
    listed = client.get(url).json()["html"]
    assert "みなみ小学校区" in listed and "よその町" not in listed and "東京都" not in listed
    found = client.get(f"{url}results/", {"q": "みなみ"}).content.decode()
    assert "みなみ小学校区" in found and "架空市" not in found  # searched, not just listed
    assert "よその町" not in client.get(f"{url}results/", {"q": "よその"}).content.decode()


def test_editor_map_opens_on_the_pf_municipality_and_knows_each_area_centre(areas):
    _ours, district, registry_only = areas
    html = map_pin_js()
    found = re.search(r'id="tsunagari-map-config"[^>]*>(.*?)</script>', html)
    assert found is not None
    config = json.loads(found.group(1))
    assert config["center"] == [35.8, 139.4]
    assert config["areaCentres"][str(district.pk)] == [35.81, 139.7]
    assert str(registry_only.pk) not in config["areaCentres"]
