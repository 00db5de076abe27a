"""A listing's 対象年齢 (issue 14, "Age ranges"): bounds, the editor, and how it reads."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from directory.listings.ages import AGE_LIMIT, age_in_range, age_range_label
from directory.models import PlacePage
from tests.factories.directory import (
    EditorFactory,
    EventPageFactory,
    MemberFactory,
    PlacePageFactory,
    ServicePageFactory,
)
from tests.factories.membership import page_edit_form_data


@pytest.mark.parametrize(
    ("age_min", "age_max", "label"),
    [
        (12, 18, "12〜18歳"),
        (65, None, "65歳以上"),
        (None, 18, "18歳まで"),
        (6, 6, "6歳"),
        (0, 3, "0〜3歳"),
        (None, None, ""),
    ],
)
def test_age_range_label(age_min, age_max, label):
    assert age_range_label(age_min, age_max) == label


@pytest.mark.parametrize(
    ("age", "age_min", "age_max", "fits"),
    [
        (12, 12, 18, True),
        (18, 12, 18, True),  # both ends are inclusive
        (11, 12, 18, False),
        (19, 12, 18, False),
        (90, 65, None, True),
        (0, None, 18, True),
        (40, None, None, True),
    ],
)
def test_age_in_range_is_inclusive_and_open_where_unset(age, age_min, age_max, fits):
    assert age_in_range(age, age_min, age_max) is fits


@pytest.mark.django_db
class TestModelValidation:
    def test_min_above_max_is_refused_on_age_max(self):
        listing = PlacePageFactory()
        listing.age_min, listing.age_max = 18, 12
        with pytest.raises(ValidationError) as refused:
            listing.full_clean()
        assert (
            "「何歳まで」（12歳）が「何歳から」（18歳）より小さく"
            in refused.value.message_dict["age_max"][0]
        )
        assert "age_min" not in refused.value.message_dict

    @pytest.mark.parametrize("field", ["age_min", "age_max"])
    def test_age_above_limit_is_refused_on_its_field(self, field):
        listing = PlacePageFactory()
        setattr(listing, field, AGE_LIMIT + 1)
        with pytest.raises(ValidationError) as refused:
            listing.full_clean()
        assert refused.value.message_dict[field] == [
            f"対象年齢は0〜{AGE_LIMIT}歳の範囲で入力してください。"
        ]

    @pytest.mark.parametrize(
        ("age_min", "age_max"), [(None, None), (12, 18), (65, None), (None, 18), (0, AGE_LIMIT)]
    )
    def test_valid_ranges_pass(self, age_min, age_max):
        PlacePageFactory(age_min=age_min, age_max=age_max).full_clean()


@pytest.fixture
def editing():
    member = MemberFactory()
    listing = PlacePageFactory(member=member)
    client = Client()
    client.force_login(EditorFactory(member=member))
    return client, listing


@pytest.mark.django_db
class TestEditor:
    def test_member_editor_saving_min_above_max_sees_japanese_error_and_keeps_input(self, editing):
        client, listing = editing
        data = page_edit_form_data(
            client, listing, age_min="18", age_max="12", summary="中高生がほっとできる場所"
        )
        revisions = listing.revisions.count()
        response = client.post(reverse("wagtailadmin_pages:edit", args=[listing.pk]), data)
        assert response.status_code == 200
        form = response.context["form"]
        assert "より小さくなっています" in form.errors["age_max"][0]
        # Nothing saved, nothing the member typed lost: the form comes back with every value.
        assert listing.revisions.count() == revisions
        stored = PlacePage.objects.get(pk=listing.pk)
        assert (stored.age_min, stored.age_max) == (None, None)
        html = response.content.decode()
        assert 'value="18"' in html and 'value="12"' in html
        assert "中高生がほっとできる場所" in html

    def test_editor_shows_the_age_panel_with_help(self, editing):
        client, listing = editing
        html = client.get(reverse("wagtailadmin_pages:edit", args=[listing.pk])).content.decode()
        assert "対象年齢（何歳から）" in html and "対象年齢（何歳まで）" in html
        assert "どちらもその歳を含みます" in html

    def test_valid_range_is_saved(self, editing):
        client, listing = editing
        data = page_edit_form_data(client, listing, age_min="12", age_max="18")
        data["action-publish"] = "action-publish"
        response = client.post(reverse("wagtailadmin_pages:edit", args=[listing.pk]), data)
        assert response.status_code == 302
        stored = PlacePage.objects.get(pk=listing.pk)
        assert (stored.age_min, stored.age_max) == (12, 18)


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [PlacePageFactory, ServicePageFactory, EventPageFactory])
@pytest.mark.parametrize(
    ("age_min", "age_max", "label"),
    [(12, 18, "12〜18歳"), (65, None, "65歳以上"), (None, 18, "18歳まで")],
)
def test_listing_page_shows_the_age_range_beside_its_targets(
    client, factory, age_min, age_max, label
):
    listing = factory(age_min=age_min, age_max=age_max)
    html = client.get(listing.url).content.decode()
    assert f"<dt>対象年齢</dt><dd>{label}</dd>" in html


@pytest.mark.django_db
def test_listing_page_without_a_range_shows_no_age_line(client):
    html = client.get(PlacePageFactory().url).content.decode()
    assert "対象年齢" not in html
