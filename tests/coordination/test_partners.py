"""Partner finder: filters (AND across, OR within), areas up and down the tree, co-organisers."""

import pytest
from wagtail.models import PageViewRestriction

from coordination.partners import PartnerQuery, find_partners
from directory.models import ListingStatus, MemberStatus, MemberType
from tests.factories.directory import (
    AreaFactory,
    EventPageFactory,
    MemberFactory,
    MunicipalityFactory,
    PlacePageFactory,
    terms,
)

pytestmark = pytest.mark.django_db


def names(query: PartnerQuery) -> list[str]:
    return sorted(p.member.name for p in find_partners(query))


@pytest.fixture
def network():
    city = MunicipalityFactory()
    north, south = AreaFactory(name="北小学校区"), AreaFactory(name="南小学校区")
    shakyo = MemberFactory(
        name="社協", kana="しゃきょう", member_type=MemberType.SHAKYO, description="地域福祉の推進"
    )
    shakyo.areas.set([city])
    shakyo.offers.set(terms("offer", ["venue", "volunteers"]))
    shakyo.fields.set(terms("category", ["salon"]))
    npo = MemberFactory(
        name="こども応援ネット", kana="こどもおうえんねっと", member_type=MemberType.NPO
    )
    npo.areas.set([north])
    npo.offers.set(terms("offer", ["volunteers"]))
    npo.looks_for.set(terms("offer", ["venue"]))
    npo.fields.set(terms("category", ["kodomo-shokudo", "study-support"]))
    company = MemberFactory(
        name="みどり商店", kana="みどりしょうてん", member_type=MemberType.COMPANY
    )
    company.areas.set([south])
    company.offers.set(terms("offer", ["food-goods"]))
    MemberFactory(name="申請中の団体", status=MemberStatus.APPLIED)
    return {
        "city": city,
        "north": north,
        "south": south,
        "shakyo": shakyo,
        "npo": npo,
        "company": company,
    }


def test_only_approved_members_with_live_pages_are_listed(network):
    assert names(PartnerQuery()) == ["こども応援ネット", "みどり商店", "社協"]


def test_or_within_a_filter_and_across_filters(network):
    assert names(PartnerQuery(offers=("venue", "food-goods"))) == ["みどり商店", "社協"]
    assert names(PartnerQuery(offers=("volunteers",), types=(MemberType.NPO,))) == [
        "こども応援ネット"
    ]
    assert names(PartnerQuery(looks_for=("venue",), fields=("salon",))) == []


def test_district_filter_finds_members_of_the_district_and_of_the_whole_city(network):
    assert names(PartnerQuery(areas=(network["north"].code,))) == ["こども応援ネット", "社協"]


def test_city_filter_finds_members_active_in_its_districts(network):
    assert names(PartnerQuery(areas=(network["city"].code,))) == [
        "こども応援ネット",
        "みどり商店",
        "社協",
    ]


def test_keyword_matches_kana_and_description_ignoring_width_and_script(network):
    assert names(PartnerQuery(text="シャキョウ")) == ["社協"]
    assert names(PartnerQuery(text="地域福祉")) == ["社協"]


def test_listings_and_co_organisers_both_ways(network):
    place = PlacePageFactory(member=network["npo"], title="北こども食堂")
    event = EventPageFactory(member=network["npo"], title="夏祭り")
    event.co_organisers.set([network["company"]])
    event.save_revision().publish()
    found = {p.member.name: p for p in find_partners(PartnerQuery())}
    assert [link.name for link in found["こども応援ネット"].listings] == [
        "北こども食堂",
        "夏祭り",
    ] or [link.name for link in found["こども応援ネット"].listings] == sorted(
        ["北こども食堂", "夏祭り"]
    )
    assert {link.id for link in found["こども応援ネット"].listings} == {
        str(place.uuid),
        str(event.uuid),
    }
    assert [m.name for m in found["こども応援ネット"].co_organisers] == ["みどり商店"]
    assert [m.name for m in found["みどり商店"].co_organisers] == ["こども応援ネット"]
    assert found["社協"].co_organisers == []


def test_members_api_shape_filters_and_errors(client, network):
    response = client.get("/api/v1/members", {"offer": "volunteers", "page_size": 1})
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    data = response.json()
    assert data["count"] == 2 and data["page"] == 1 and len(data["results"]) == 1
    first = data["results"][0]
    assert first["name"] == "こども応援ネット"
    assert first["offers"] == ["volunteers"] and first["looks_for"] == ["venue"]
    assert set(first) >= {
        "id",
        "url",
        "type",
        "fields",
        "targets",
        "areas",
        "contact",
        "listings",
        "co_organisers",
    }

    bad = client.get("/api/v1/members", {"offer": "no-such-offer", "page_size": 500})
    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert set(errors) == {"offer", "page_size"}
    assert "no-such-offer" in errors["offer"][0]

    beyond = client.get("/api/v1/members", {"page": 9})
    assert beyond.status_code == 400 and "ページ番号" in beyond.json()["errors"]["page"][0]


def test_partner_page_lists_members_and_survives_bad_input(client, network):
    page = client.get("/partners/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "こども応援ネット" in html and "申請中の団体" not in html
    filtered = client.get("/partners/", {"offer": "food-goods"}).content.decode()
    assert "みどり商店" in filtered and "こども応援ネット" not in filtered
    bad = client.get("/partners/", {"area": "nowhere"})
    assert bad.status_code == 200
    assert "正しくない値" in bad.content.decode()


# -- found by what they run (issue 13) ----------------------------------------------------


@pytest.fixture
def shokudo_runners():
    """Members running こども食堂 without declaring it, and members who must not be found."""
    declared = MemberFactory(name="宣言だけの団体", kana="せんげん")
    declared.fields.set(terms("category", ["kodomo-shokudo"]))
    by_category = MemberFactory(name="町内会A", kana="ちょうないかいa")
    PlacePageFactory(member=by_category, title="ひがし みんなの食卓", categories=["kodomo-shokudo"])
    by_words = MemberFactory(name="お寺B", kana="おてらb")
    EventPageFactory(member=by_words, title="子供食堂の日", summary="境内で夕ごはん")
    drafted = MemberFactory(name="下書きだけの団体", kana="したがき")
    PlacePageFactory(
        member=drafted, title="準備中のこども食堂", categories=["kodomo-shokudo"], live=False
    )
    protected = MemberFactory(name="パスワードの団体", kana="ぱすわーど")
    hidden = PlacePageFactory(
        member=protected, title="会員向けこども食堂", categories=["kodomo-shokudo"]
    )
    PageViewRestriction.objects.create(
        page=hidden, restriction_type=PageViewRestriction.PASSWORD, password="himitsu"
    )
    paused = MemberFactory(name="休止中の団体", kana="きゅうし")
    PlacePageFactory(
        member=paused,
        title="お休み中のこども食堂",
        categories=["kodomo-shokudo"],
        status=ListingStatus.PAUSED,
    )
    return {"category": by_category, "words": by_words}


def test_field_finds_every_member_running_the_activity_never_through_hidden_listings(
    shokudo_runners,
):
    # お寺B's listing only says 子供食堂 in its name: the keyword finds it (below), not the field.
    assert names(PartnerQuery(fields=("kodomo-shokudo",))) == ["宣言だけの団体", "町内会A"]


def test_keyword_finds_members_by_the_words_of_their_listings_and_synonyms(shokudo_runners):
    assert names(PartnerQuery(text="食堂")) == ["お寺B", "町内会A"]
    # こども食堂 meets 子供食堂 (synonyms) and the category label こども食堂 of 町内会A's listing
    assert names(PartnerQuery(text="こども食堂")) == ["お寺B", "町内会A"]
    found = {p.member.name: p for p in find_partners(PartnerQuery(text="食堂"))}
    assert [link.name for link in found["町内会A"].matching_listings] == ["ひがし みんなの食卓"]


def test_target_finds_members_by_their_listings_targets(shokudo_runners):
    PlacePageFactory(member=shokudo_runners["words"], title="親子の会", targets=["single-parents"])
    assert names(PartnerQuery(targets=("single-parents",))) == ["お寺B"]


def test_members_api_says_which_listings_matched(client, shokudo_runners):
    data = client.get("/api/v1/members", {"field": "kodomo-shokudo"}).json()
    by_name = {row["name"]: row for row in data["results"]}
    assert set(by_name) == {"宣言だけの団体", "町内会A"}
    assert by_name["宣言だけの団体"]["matching_listings"] == []
    assert len(by_name["町内会A"]["matching_listings"]) == 1
    page = client.get("/partners/", {"field": "kodomo-shokudo"}).content.decode()
    assert "条件に合う掲載" in page and "準備中のこども食堂" not in page
