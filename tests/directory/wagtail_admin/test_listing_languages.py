"""A language code the editor has no name for (imported from HSDS, e.g. ur) survives a save."""

import pytest
from django.urls import reverse

from directory.models import PlacePage
from tests.factories.directory import EditorFactory, MemberFactory, PlacePageFactory
from tests.factories.membership import logged_in, page_edit_form_data

pytestmark = pytest.mark.django_db


def test_saving_in_the_editor_keeps_an_imported_language_code():
    member = MemberFactory()
    listing = PlacePageFactory(member=member, languages=["ja", "ur"])
    client = logged_in(EditorFactory(member=member))
    form = client.get(reverse("wagtailadmin_pages:edit", args=[listing.pk])).content.decode()
    assert 'value="ur"' in form
    data = page_edit_form_data(client, listing, title="言語コードを保つ居場所")
    # dict(lists()): the test client posts only a QueryDict's last value per key
    client.post(reverse("wagtailadmin_pages:edit", args=[listing.pk]), dict(data.lists()))
    saved = PlacePage.objects.get(pk=listing.pk).get_latest_revision_as_object()
    assert saved.title == "言語コードを保つ居場所"
    assert saved.languages == ["ja", "ur"]
