"""Member A's editor can never act on member B's pages or media, by any admin path.

Every operation runs through the real Wagtail admin views three ways: A's editor on B's
content (refused, and nothing in the database changes), A's editor on A's own content, and the
事務局 on B's content (both allowed and effective).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import factory
import pytest
from django.test import Client
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageViewRestriction, Revision, get_page_models
from wagtail_factories import DocumentFactory, ImageFactory

from directory.models import (
    EventPage,
    ListingReport,
    Member,
    MemberIndexPage,
    MemberPage,
    MemberStatus,
    PlacePage,
)
from directory.wagtail_admin.media import OwnMediaPageForm, media_fields
from tests.factories.directory import (
    EditorFactory,
    EventPageFactory,
    MemberFactory,
    PlacePageFactory,
)
from tests.factories.membership import SecretariatUserFactory, page_edit_form_data

pytestmark = pytest.mark.django_db


@dataclass
class Side:
    """One member's content: its page, a live listing with a draft change, an image, a document."""

    member: Member
    page: MemberPage
    listing: PlacePage
    image: Any
    document: Any


def make_side(name: str) -> Side:
    member = MemberFactory(name=name)
    listing = PlacePageFactory(member=member, title=f"{name}の居場所")
    listing.title = f"{name}の居場所（改）"
    listing.save_revision().publish()
    listing.summary = "下書きの変更"
    listing.save_revision()
    listing.refresh_from_db()
    return Side(
        member=member,
        page=MemberPage.objects.get(member=member),
        listing=listing,
        image=ImageFactory(collection=member.collection, title=f"{name}の写真"),
        document=DocumentFactory(
            collection=member.collection,
            title=f"{name}の資料",
            file=factory.django.FileField(filename="shiryou.pdf"),
        ),
    )


@dataclass
class World:
    a: Side
    b: Side
    a_editor: Client
    secretariat: Client
    state_before_operation: dict[str, Any] | None = None


@pytest.fixture
def world() -> World:
    a, b = make_side("A会"), make_side("B会")
    a_editor, secretariat = Client(), Client()
    a_editor.force_login(EditorFactory(member=a.member))
    secretariat.force_login(SecretariatUserFactory())
    return World(a=a, b=b, a_editor=a_editor, secretariat=secretariat)


def database_state() -> dict[str, Any]:
    """Everything an admin action could change on pages, revisions and media."""
    return {
        "pages": sorted(
            Page.objects.values_list(
                "pk", "path", "url_path", "title", "live", "has_unpublished_changes", "locked"
            )
        ),
        "latest_revisions": sorted(Page.objects.values_list("pk", "latest_revision_id")),
        "revisions": Revision.objects.count(),
        "view_restrictions": sorted(
            PageViewRestriction.objects.values_list("page_id", "restriction_type")
        ),
        "images": sorted(get_image_model().objects.values_list("pk", "title", "collection_id")),
        "documents": sorted(
            get_document_model().objects.values_list("pk", "title", "collection_id")
        ),
    }


def is_refused(response: Any) -> bool:
    """403/404, Wagtail's redirect to the dashboard with a permission-denied message, or the
    form shown again with an error (e.g. a copy destination the user may not add to)."""
    if response.status_code in (403, 404):
        return True
    form = (response.context or {}).get("form") if response.status_code == 200 else None
    if form is not None and form.errors:
        return True
    return response.status_code == 302 and response.url.rstrip("/") == reverse(
        "wagtailadmin_home"
    ).rstrip("/")


# -- operations ----------------------------------------------------------------------------
# Each takes (client, subject, home, world): act on `subject`'s content, with `home` the
# acting member's own side (the destination of moves and copies).


def edit_get(client, subject, home, w):
    return client.get(reverse("wagtailadmin_pages:edit", args=[subject.listing.pk]))


def edit_post(client, subject, home, w, *, publish: bool = False):
    data = page_edit_form_data(w.secretariat, subject.listing, title="書き換え")
    if publish:
        data["action-publish"] = "action-publish"
    return client.post(reverse("wagtailadmin_pages:edit", args=[subject.listing.pk]), data)


def publish(client, subject, home, w):
    return edit_post(client, subject, home, w, publish=True)


def unpublish(client, subject, home, w):
    """With the reason the 事務局 gives for a member's page (tests/directory/test_notices.py)."""
    url = reverse("wagtailadmin_pages:unpublish", args=[subject.listing.pk])
    client.get(url)
    return client.post(url, {"reason": "確認のため非公開にします。"})


def delete(client, subject, home, w):
    url = reverse("wagtailadmin_pages:delete", args=[subject.listing.pk])
    client.get(url)
    return client.post(url)


def move_into_home(client, subject, home, w):
    """Take the subject's listing into the actor's own tree."""
    url = reverse("wagtailadmin_pages:move_confirm", args=[subject.listing.pk, home.page.pk])
    return client.post(url)


def move_home_into_subject(client, subject, home, w):
    """Push the actor's own listing into the subject's tree."""
    url = reverse("wagtailadmin_pages:move_confirm", args=[home.listing.pk, subject.page.pk])
    return client.post(url)


def copy_into_home(client, subject, home, w):
    """Copy the subject's listing (with its drafts) into the actor's own tree."""
    url = reverse("wagtailadmin_pages:copy", args=[subject.listing.pk])
    data = {"new_title": "写し", "new_slug": "copy-x", "new_parent_page": home.page.pk}
    return client.post(url, data)


def copy_home_into_subject(client, subject, home, w):
    url = reverse("wagtailadmin_pages:copy", args=[home.listing.pk])
    data = {"new_title": "写し", "new_slug": "copy-y", "new_parent_page": subject.page.pk}
    return client.post(url, data)


def preview(client, subject, home, w):
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[subject.listing.pk])
    client.post(url, page_edit_form_data(w.secretariat, subject.listing))
    return client.get(url)


def view_draft(client, subject, home, w):
    return client.get(reverse("wagtailadmin_pages:view_draft", args=[subject.listing.pk]))


def revisions_index(client, subject, home, w):
    """The revisions index redirects to the history view, which then checks permissions."""
    url = reverse("wagtailadmin_pages:revisions_index", args=[subject.listing.pk])
    response = client.get(url)
    history_url = reverse("wagtailadmin_pages:history", args=[subject.listing.pk])
    return client.get(history_url) if response.url == history_url else response


def first_revision(subject):
    return Revision.page_revisions.filter(object_id=str(subject.listing.pk)).order_by("pk")[0]


def revision_view(client, subject, home, w):
    url = reverse(
        "wagtailadmin_pages:revisions_view", args=[subject.listing.pk, first_revision(subject).pk]
    )
    return client.get(url)


def revision_revert(client, subject, home, w):
    url = reverse(
        "wagtailadmin_pages:revisions_revert",
        args=[subject.listing.pk, first_revision(subject).pk],
    )
    return client.get(url)


def revision_compare(client, subject, home, w):
    url = reverse(
        "wagtailadmin_pages:revisions_compare",
        args=[subject.listing.pk, "earliest", "live"],
    )
    return client.get(url)


def history(client, subject, home, w):
    return client.get(reverse("wagtailadmin_pages:history", args=[subject.listing.pk]))


def lock(client, subject, home, w):
    return client.post(reverse("wagtailadmin_pages:lock", args=[subject.listing.pk]))


def unlock(client, subject, home, w):
    subject.listing.locked = True
    subject.listing.save(update_fields=["locked"])
    w.state_before_operation = database_state()
    return client.post(reverse("wagtailadmin_pages:unlock", args=[subject.listing.pk]))


def set_privacy(client, subject, home, w):
    url = reverse("wagtailadmin_pages:set_privacy", args=[subject.listing.pk])
    return client.post(url, {"restriction_type": "password", "password": "himitsu"})


def bulk(action: str, extra: Callable[[Side, Side], dict] | None = None):
    def run(client, subject, home, w):
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
        query = f"?next={reverse('wagtailadmin_explore_root')}&id={subject.listing.pk}"
        client.get(url + query)
        return client.post(url + query, (extra or (lambda s, h: {}))(subject, home))

    run.__name__ = f"bulk_{action}"
    return run


def add_listing_under_member_page(client, subject, home, w):
    client.get(reverse("wagtailadmin_pages:add_subpage", args=[subject.page.pk]))
    url = reverse("wagtailadmin_pages:add", args=["directory", "placepage", subject.page.pk])
    data = page_edit_form_data(w.secretariat, subject.listing, title="新しい居場所", slug="new")
    return client.post(url, data)


def add_member_page_under_index(client, subject, home, w):
    index = MemberIndexPage.objects.get()
    url = reverse("wagtailadmin_pages:add", args=["directory", "memberpage", index.pk])
    return client.post(url, {"title": "勝手な団体", "slug": "rogue", "intro": ""})


def image_edit(client, subject, home, w):
    url = reverse("wagtailimages:edit", args=[subject.image.pk])
    client.get(url)
    return client.post(url, {"title": "書き換え", "collection": subject.image.collection_id})


def image_delete(client, subject, home, w):
    url = reverse("wagtailimages:delete", args=[subject.image.pk])
    client.get(url)
    return client.post(url)


def image_chosen(client, subject, home, w):
    return client.get(reverse("wagtailimages_chooser:chosen", args=[subject.image.pk]))


def document_edit(client, subject, home, w):
    url = reverse("wagtaildocs:edit", args=[subject.document.pk])
    client.get(url)
    return client.post(url, {"title": "書き換え", "collection": subject.document.collection_id})


def document_delete(client, subject, home, w):
    url = reverse("wagtaildocs:delete", args=[subject.document.pk])
    client.get(url)
    return client.post(url)


def document_chosen(client, subject, home, w):
    return client.get(reverse("wagtaildocs_chooser:chosen", args=[subject.document.pk]))


bulk_publish, bulk_unpublish, bulk_delete = bulk("publish"), bulk("unpublish"), bulk("delete")
bulk_move = bulk("move", lambda subject, home: {"chooser": home.page.pk})
BULK_OPERATIONS = {bulk_publish, bulk_unpublish, bulk_delete, bulk_move}

OPERATIONS = [
    edit_get,
    edit_post,
    publish,
    unpublish,
    delete,
    move_into_home,
    move_home_into_subject,
    copy_into_home,
    copy_home_into_subject,
    preview,
    view_draft,
    revisions_index,
    revision_view,
    revision_revert,
    revision_compare,
    history,
    lock,
    unlock,
    set_privacy,
    bulk_publish,
    bulk_unpublish,
    bulk_delete,
    bulk_move,
    add_listing_under_member_page,
    image_edit,
    image_delete,
    image_chosen,
    document_edit,
    document_delete,
    document_chosen,
]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.__name__)
def test_member_editor_cannot_act_on_another_members_content(world, operation):
    before = database_state()
    response = operation(world.a_editor, world.b, world.a, world)
    before = world.state_before_operation or before
    if operation not in BULK_OPERATIONS:  # a bulk action skips what it may not touch
        assert is_refused(response), (response.status_code, getattr(response, "url", ""))
    assert database_state() == before


@pytest.mark.parametrize("action", ["publish", "unpublish", "delete", "move"])
def test_bulk_confirmation_lists_another_members_page_as_not_allowed(world, action):
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
    response = world.a_editor.get(f"{url}?id={world.b.listing.pk}")
    refused = [entry["item"].pk for entry in response.context["items_with_no_access"]]
    assert response.context["items"] == []
    assert refused == [world.b.listing.pk]


READ_ONLY = {
    edit_get,
    preview,
    view_draft,
    revisions_index,
    revision_view,
    revision_revert,
    revision_compare,
    history,
    image_chosen,
    document_chosen,
}
# A listing's only valid parent is its member's page, so within one member's own tree a move
# has nowhere else to go: for the member's own editor these are allowed no-ops.
MOVES = {move_into_home, move_home_into_subject, bulk_move}


def assert_allowed_and_effective(operation, response, before) -> None:
    assert not is_refused(response), (response.status_code, getattr(response, "url", ""))
    if operation in READ_ONLY:
        assert response.status_code == 200
    else:
        assert response.status_code in (200, 302)
        assert database_state() != before


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.__name__)
def test_member_editor_can_act_on_own_content(world, operation):
    before = database_state()
    response = operation(world.a_editor, world.a, world.a, world)
    before = world.state_before_operation or before
    if operation in MOVES:
        assert not is_refused(response)
    else:
        assert_allowed_and_effective(operation, response, before)


# The 事務局 unpublishes a member's page one by one, with a reason (bulk has no reason field;
# tests/directory/test_notices.py checks the refusal).
@pytest.mark.parametrize(
    "operation", [op for op in OPERATIONS if op is not bulk_unpublish], ids=lambda op: op.__name__
)
def test_secretariat_can_act_on_any_members_content(world, operation):
    before = database_state()
    response = operation(world.secretariat, world.b, world.a, world)
    before = world.state_before_operation or before
    assert_allowed_and_effective(operation, response, before)


def test_member_pages_are_created_by_approval_not_by_hand(world):
    """Adding a MemberPage in the tree used to be a 500 (no member); now it points to approval."""
    before = database_state()
    response = add_member_page_under_index(world.secretariat, world.b, world.a, world)
    assert response.status_code == 302
    assert response.url == reverse("wagtailsnippets_directory_member:list")
    assert database_state() == before


def test_member_editor_cannot_add_a_member_page(world):
    before = database_state()
    response = add_member_page_under_index(world.a_editor, world.b, world.a, world)
    assert is_refused(response)
    assert database_state() == before


def test_member_editor_cannot_attach_another_members_image_to_own_listing(world):
    """The chooser never offers B's image, but a hand-made POST of its id used to be saved."""
    url = reverse("wagtailadmin_pages:edit", args=[world.a.listing.pk])
    data = page_edit_form_data(world.a_editor, world.a.listing, image=str(world.b.image.pk))
    before = database_state()
    response = world.a_editor.post(url, data)
    assert is_refused(response)
    assert "他の団体の画像・文書は使えません" in str(response.context["form"].errors["image"])
    assert database_state() == before


def test_refused_form_does_not_show_the_other_members_image(world):
    """The form shown again with the error keeps the saved image, not B's title or thumbnail."""
    url = reverse("wagtailadmin_pages:edit", args=[world.a.listing.pk])
    data = page_edit_form_data(world.a_editor, world.a.listing, image=str(world.b.image.pk))
    html = world.a_editor.post(url, data).content.decode()
    assert "他の団体の画像・文書は使えません" in html
    assert "B会の写真" not in html


@pytest.mark.parametrize("value", ["abc", "1.5", "-"])
def test_a_chooser_value_that_is_not_an_id_is_a_form_error(world, value):
    url = reverse("wagtailadmin_pages:edit", args=[world.a.listing.pk])
    data = page_edit_form_data(world.a_editor, world.a.listing, image=value)
    before = database_state()
    response = world.a_editor.post(url, data)
    assert response.status_code == 200
    assert "image" in response.context["form"].errors
    assert database_state() == before


def test_member_editor_can_attach_own_image(world):
    url = reverse("wagtailadmin_pages:edit", args=[world.a.listing.pk])
    data = page_edit_form_data(world.a_editor, world.a.listing, image=str(world.a.image.pk))
    assert world.a_editor.post(url, data).status_code == 302
    revision = PlacePage.objects.get(pk=world.a.listing.pk).get_latest_revision()
    assert revision.content["image"] == world.a.image.pk


def test_member_editor_cannot_create_a_page_with_another_members_image(world):
    url = reverse("wagtailadmin_pages:add", args=["directory", "placepage", world.a.page.pk])
    data = page_edit_form_data(
        world.a_editor, world.a.listing, title="新規", slug="new-x", image=str(world.b.image.pk)
    )
    before = database_state()
    assert is_refused(world.a_editor.post(url, data))
    assert database_state() == before


def test_image_chooser_lists_own_images_only(world):
    page = json.loads(world.a_editor.get(reverse("wagtailimages_chooser:choose")).content)["html"]
    assert "A会の写真" in page
    assert "B会の写真" not in page


def test_document_chooser_lists_own_documents_only(world):
    page = json.loads(world.a_editor.get(reverse("wagtaildocs_chooser:choose")).content)["html"]
    assert "A会の資料" in page
    assert "B会の資料" not in page


def test_image_and_document_listings_show_own_media_only(world):
    images = world.a_editor.get(reverse("wagtailimages:index")).content.decode()
    documents = world.a_editor.get(reverse("wagtaildocs:index")).content.decode()
    assert "A会の写真" in images and "B会の写真" not in images
    assert "A会の資料" in documents and "B会の資料" not in documents


def test_page_chooser_hides_other_members_drafts_but_not_their_live_pages(world):
    PlacePageFactory(member=world.b.member, title="B会の未公開の計画", live=False)
    PlacePageFactory(member=world.a.member, title="A会の下書き", live=False)
    url = reverse("wagtailadmin_choose_page_child", args=[world.b.page.pk])
    b_tree = json.loads(world.a_editor.get(url).content)["html"]
    assert "B会の居場所（改）" in b_tree
    assert "B会の未公開の計画" not in b_tree
    url = reverse("wagtailadmin_choose_page_child", args=[world.a.page.pk])
    assert "A会の下書き" in json.loads(world.a_editor.get(url).content)["html"]
    search = reverse("wagtailadmin_choose_page_search")
    found = world.a_editor.get(search, {"q": "計画"}).content.decode()
    assert "B会の未公開の計画" not in found


def test_secretariat_page_chooser_shows_drafts(world):
    PlacePageFactory(member=world.b.member, title="B会の未公開の計画", live=False)
    url = reverse("wagtailadmin_choose_page_child", args=[world.b.page.pk])
    assert "B会の未公開の計画" in json.loads(world.secretariat.get(url).content)["html"]


@pytest.mark.parametrize("report", ["site_history", "aging_pages", "locked_pages"])
def test_admin_reports_do_not_show_another_members_pages(world, report):
    lock(world.secretariat, world.b, world.a, world)
    page = world.a_editor.get(reverse(f"wagtailadmin_reports:{report}")).content.decode()
    assert "B会の居場所" not in page


def preview_urls(side: Side) -> dict[str, str]:
    return {
        "listing-edit": reverse("wagtailadmin_pages:preview_on_edit", args=[side.listing.pk]),
        "listing-add": reverse(
            "wagtailadmin_pages:preview_on_add", args=["directory", "placepage", side.page.pk]
        ),
        "member-page-edit": reverse("wagtailadmin_pages:preview_on_edit", args=[side.page.pk]),
    }


def preview_with_image(world: World, where: str, image: Any) -> tuple[Any, str]:
    """A's editor previews A's page with `image` posted by hand: (POST answer, preview HTML)."""
    page = world.a.page if where == "member-page-edit" else world.a.listing
    new = {"title": "新しい居場所", "slug": "atarashii"} if where == "listing-add" else {}
    data = page_edit_form_data(world.a_editor, page, image=str(image.pk), **new)
    url = preview_urls(world.a)[where]
    answer = world.a_editor.post(url, data)
    return answer, world.a_editor.get(url).content.decode()


@pytest.mark.parametrize("where", ["listing-edit", "listing-add", "member-page-edit"])
def test_preview_does_not_show_another_members_image(world, where):
    """Nothing was saved, but the preview used to render B's private image for A's editor."""
    rendition_url = world.b.image.get_rendition("width-800").url
    before = database_state()
    answer, html = preview_with_image(world, where, world.b.image)
    assert answer.json()["is_valid"] is False
    assert "B会の写真" not in html
    assert rendition_url not in html
    assert database_state() == before


@pytest.mark.parametrize("where", ["listing-edit", "listing-add", "member-page-edit"])
def test_preview_shows_own_image(world, where):
    answer, html = preview_with_image(world, where, world.a.image)
    assert answer.json()["is_valid"] is True
    assert "A会の写真" in html


def test_every_page_with_images_or_documents_checks_them_in_its_form():
    """A new page type with an image field must use OwnMediaPageForm, or its form leaks."""
    with_media = [model for model in get_page_models() if media_fields(model)]
    assert with_media
    for model in with_media:
        assert issubclass(model.get_edit_handler().get_form_class(), OwnMediaPageForm), model


def test_an_unknown_image_id_is_a_form_error(world):
    url = reverse("wagtailadmin_pages:edit", args=[world.a.listing.pk])
    data = page_edit_form_data(world.a_editor, world.a.listing, image="999999")
    before = database_state()
    response = world.a_editor.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["image"]
    assert database_state() == before


# -- what other members' drafts, media and records an admin path shows ----------------------
# Each row reads something by id or lists everything: A's editor must not see B's secret, and
# the 事務局 must (so the row can fail). A draft's title is a plan not yet announced.

DRAFT_TITLE = "B会の未公開の計画"


def b_draft(w: World) -> PlacePage:
    return PlacePageFactory(member=w.b.member, title=DRAFT_TITLE, live=False)


def chooser_browse_into_draft(client, w):
    url = reverse("wagtailadmin_choose_page_child", args=[b_draft(w).pk])
    return client.get(url), DRAFT_TITLE


def chooser_search(client, w):
    b_draft(w)
    url = reverse("wagtailadmin_choose_page_search")
    return client.get(url, {"q": "計画", "page_type": "directory.placepage"}), DRAFT_TITLE


def chooser_chosen_multiple(client, w):
    url = reverse("wagtailadmin_choose_page_chosen_multiple")
    return client.get(url, {"id": [b_draft(w).pk]}), DRAFT_TITLE


def move_confirm_get(client, w):
    url = reverse("wagtailadmin_pages:move_confirm", args=[b_draft(w).pk, w.a.page.pk])
    return client.get(url), DRAFT_TITLE


def bulk_confirmation(action: str):
    def row(client, w):
        url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", action])
        return client.get(url, {"id": b_draft(w).pk}), DRAFT_TITLE

    row.__name__ = f"bulk_{action}_confirmation"
    return row


def workflow_preview_error(client, w):
    from wagtail.models import Task

    url = reverse(
        "wagtailadmin_pages:workflow_preview", args=[b_draft(w).pk, Task.objects.first().pk]
    )
    return client.get(url, follow=True), DRAFT_TITLE


def page_types_usage(client, w):
    b_draft(w)
    return client.get(reverse("wagtailadmin_reports:page_types_usage")), DRAFT_TITLE


def admin_api_images(client, w):
    return client.get("/admin/api/main/images/"), "B会の写真"


def admin_api_documents(client, w):
    return client.get("/admin/api/main/documents/"), "B会の資料"


def member_chooser_applicant(client, w):
    MemberFactory(name="申請中の団体", status=MemberStatus.APPLIED)
    return client.get(reverse("wagtailsnippetchoosers_directory_member:choose")), "申請中の団体"


def report_chooser(client, w):
    ListingReport.objects.create(page=w.b.listing, reason="other", message="")
    url = reverse("wagtailsnippetchoosers_directory_listingreport:choose")
    return client.get(url), str(ListingReport.objects.get())


def report_chosen(client, w):
    report = ListingReport.objects.create(page=w.b.listing, reason="other", message="")
    url = reverse("wagtailsnippetchoosers_directory_listingreport:chosen", args=[report.pk])
    return client.get(url), str(report)


def event_form_co_organiser_choices(client, w):
    MemberFactory(name="申請中の団体", status=MemberStatus.APPLIED)
    url = reverse("wagtailadmin_pages:add", args=["directory", "eventpage", w.a.page.pk])
    return client.get(url), "申請中の団体"


READS = [
    chooser_browse_into_draft,
    chooser_search,
    chooser_chosen_multiple,
    move_confirm_get,
    *(bulk_confirmation(action) for action in ("publish", "unpublish", "delete", "move")),
    workflow_preview_error,
    page_types_usage,
    admin_api_images,
    admin_api_documents,
    member_chooser_applicant,
    report_chooser,
    report_chosen,
]


def shown(response: Any) -> str:
    """The answer as text, JSON decoded (choosers answer with escaped HTML inside JSON)."""
    text = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json"):
        text = json.dumps(json.loads(text), ensure_ascii=False)
    messages = [str(m) for m in (response.context or {}).get("messages", [])]
    return text + "".join(messages)


@pytest.mark.parametrize("read", READS, ids=lambda read: read.__name__)
def test_member_editor_cannot_read_another_members_drafts_media_or_records(world, read):
    response, secret = read(world.a_editor, world)
    assert secret not in shown(response)


@pytest.mark.parametrize("read", READS, ids=lambda read: read.__name__)
def test_secretariat_reads_them(world, read):
    response, secret = read(world.secretariat, world)
    assert secret in shown(response)


@pytest.mark.parametrize("who", ["a_editor", "secretariat"])
def test_event_form_does_not_offer_applicants_as_co_organisers(world, who):
    response, secret = event_form_co_organiser_choices(getattr(world, who), world)
    assert response.status_code == 200
    assert secret not in shown(response)
    assert "B会" in shown(response)


# -- an event's venue and co-organisers, checked on save ------------------------------------


def own_event(w: World) -> EventPage:
    return EventPageFactory(member=w.a.member, title="A会の講座")


def post_event(w: World, event: EventPage, *, preview: bool = False, **changes: Any) -> Any:
    data = page_edit_form_data(w.a_editor, event, **changes)
    name = "preview_on_edit" if preview else "edit"
    data["action-publish"] = "action-publish"
    return w.a_editor.post(reverse(f"wagtailadmin_pages:{name}", args=[event.pk]), data)


def protected_place(w: World) -> PlacePage:
    place = PlacePageFactory(member=w.b.member, title="B会の非公開の居場所")
    PageViewRestriction.objects.create(
        page=place, restriction_type=PageViewRestriction.PASSWORD, password="himitsu"
    )
    return place


VENUES_REFUSED = {"draft": b_draft, "password-protected": protected_place}


@pytest.mark.parametrize("kind", VENUES_REFUSED)
def test_venue_cannot_be_another_members_draft_or_protected_place(world, kind):
    """A venue id posted by hand used to be published: title and address on A's event."""
    event = own_event(world)
    place = VENUES_REFUSED[kind](world)
    before = database_state()
    response = post_event(world, event, venue=str(place.pk))
    assert response.status_code == 200
    assert "このページは選べません" in str(response.context["form"].errors["venue"])
    assert place.title not in response.content.decode()
    assert database_state() == before
    assert EventPage.objects.get(pk=event.pk).venue_id is None


@pytest.mark.parametrize("kind", VENUES_REFUSED)
def test_venue_preview_refuses_another_members_draft_or_protected_place(world, kind):
    event = own_event(world)
    place = VENUES_REFUSED[kind](world)
    answer = post_event(world, event, preview=True, venue=str(place.pk))
    assert answer.json()["is_valid"] is False
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[event.pk])
    assert place.title not in world.a_editor.get(url).content.decode()


def test_venue_can_be_another_members_live_public_place_or_an_own_draft(world):
    event = own_event(world)
    assert post_event(world, event, venue=str(world.b.listing.pk)).status_code == 302
    assert EventPage.objects.get(pk=event.pk).venue_id == world.b.listing.pk
    own_draft = PlacePageFactory(member=world.a.member, title="A会の準備中の居場所", live=False)
    response = post_event(world, event, venue=str(own_draft.pk))
    assert response.status_code == 302


def test_page_chooser_does_not_offer_another_members_protected_place(world):
    place = protected_place(world)
    url = reverse("wagtailadmin_choose_page_child", args=[world.b.page.pk])
    assert place.title not in json.loads(world.a_editor.get(url).content)["html"]


def test_co_organiser_must_be_an_approved_member(world):
    """Naming an applicant as co-organiser used to publish its name on A's event."""
    applicant = MemberFactory(name="申請中の団体", status=MemberStatus.APPLIED)
    event = own_event(world)
    before = database_state()
    response = post_event(world, event, co_organisers=[str(applicant.pk)])
    assert response.status_code == 200
    assert "承認済みの会員団体だけ" in str(response.context["form"].errors["co_organisers"])
    assert database_state() == before
    response = post_event(world, event, co_organisers=[str(world.b.member.pk)])
    assert response.status_code == 302
    assert list(EventPage.objects.get(pk=event.pk).co_organisers.all()) == [world.b.member]


# -- a member's own page -------------------------------------------------------------------


def test_member_editor_cannot_delete_its_own_member_page(world):
    """Once its listings were gone, A's editor could delete A's page (approved, no page)."""
    world.a.listing.delete()
    url = reverse("wagtailadmin_pages:delete", args=[world.a.page.pk])
    world.a_editor.get(url)
    world.a_editor.post(url)
    bulk = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "delete"])
    world.a_editor.post(f"{bulk}?id={world.a.page.pk}")
    assert MemberPage.objects.filter(member=world.a.member).exists()
