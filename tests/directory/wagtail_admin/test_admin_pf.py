"""「PF の管理」: the 事務局 manages members, areas, vocabulary and reports; editors cannot."""

import json

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupPagePermission

from directory.models import (
    Area,
    ListingReport,
    Member,
    MemberPage,
    MemberStatus,
    PlacePage,
    VocabularyTerm,
)
from tests.factories.directory import (
    EditorFactory,
    MemberFactory,
    MunicipalityFactory,
    PlacePageFactory,
)
from tests.factories.membership import logged_in

pytestmark = pytest.mark.django_db

SNIPPET_LISTS = [
    "wagtailsnippets_directory_member:list",
    "wagtailsnippets_directory_area:list",
    "wagtailsnippets_directory_vocabularyterm:list",
    "wagtailsnippets_directory_listingreport:list",
]


@pytest.mark.parametrize("url_name", SNIPPET_LISTS)
def test_secretariat_sees_each_pf_list(secretariat, url_name):
    MemberFactory(name="みどりの会")
    response = secretariat.get(reverse(url_name))
    assert response.status_code == 200


def test_pf_menu_is_shown_to_the_secretariat_only(secretariat, editor_client):
    label = json.dumps("PF の管理")  # the sidebar is rendered as JSON
    assert label in secretariat.get(reverse("wagtailadmin_home")).content.decode()
    assert label not in editor_client.get(reverse("wagtailadmin_home")).content.decode()


# A member's editors open the report list too: it shows their own listings' reports
# (tests/directory/reports/test_report_workflow.py).
@pytest.mark.parametrize("url_name", SNIPPET_LISTS[:-1])
def test_member_editor_cannot_open_pf_lists(editor_client, url_name):
    response = editor_client.get(reverse(url_name))
    assert response.status_code in (302, 403)
    assert "みどりの会" not in response.content.decode()


def test_member_editor_cannot_edit_another_members_record(editor_client):
    other = MemberFactory(name="ほかの団体")
    url = reverse("wagtailsnippets_directory_member:edit", args=[other.pk])
    assert editor_client.get(url).status_code in (302, 403)
    response = editor_client.post(url, {"name": "乗っ取り", "slug": other.slug})
    assert response.status_code in (302, 403)
    other.refresh_from_db()
    assert other.name == "ほかの団体"


def test_member_filters_by_status(secretariat):
    MemberFactory(name="申請中の会", status=MemberStatus.APPLIED)
    MemberFactory(name="承認済みの会")
    url = reverse("wagtailsnippets_directory_member:list")
    page = secretariat.get(url, {"status": "applied"}).content.decode()
    assert "申請中の会" in page
    assert "承認済みの会" not in page


# -- vocabulary ----------------------------------------------------------------------------


def vocabulary_post(term: VocabularyTerm, **changes) -> dict:
    data = {
        "scheme": term.scheme,
        "slug": term.slug,
        "label": term.label,
        "label_en": term.label_en,
        "description": term.description,
        "sort_order": term.sort_order,
    }
    return data | changes


def test_vocabulary_edit_form_shows_slug_and_scheme_disabled(secretariat):
    term = VocabularyTerm.objects.get(scheme="category", slug="kodomo-shokudo")
    url = reverse("wagtailsnippets_directory_vocabularyterm:edit", args=[term.pk])
    form = secretariat.get(url).context["form"]
    assert form.fields["slug"].disabled
    assert form.fields["scheme"].disabled


def test_vocabulary_label_can_be_edited_but_slug_is_kept(secretariat):
    term = VocabularyTerm.objects.get(scheme="category", slug="kodomo-shokudo")
    url = reverse("wagtailsnippets_directory_vocabularyterm:edit", args=[term.pk])
    post = vocabulary_post(term, slug="renamed", scheme="target", label="こども食堂・地域食堂")
    response = secretariat.post(url, post)
    assert response.status_code == 302
    term.refresh_from_db()
    assert (term.scheme, term.slug, term.label) == (
        "category",
        "kodomo-shokudo",
        "こども食堂・地域食堂",
    )


def test_secretariat_can_add_a_vocabulary_term(secretariat):
    url = reverse("wagtailsnippets_directory_vocabularyterm:add")
    post = {"scheme": "category", "slug": "new-term", "label": "新しい分野", "sort_order": 99}
    assert secretariat.post(url, post).status_code == 302
    assert VocabularyTerm.objects.filter(scheme="category", slug="new-term").exists()


def test_duplicate_vocabulary_slug_is_refused_in_japanese(secretariat):
    url = reverse("wagtailsnippets_directory_vocabularyterm:add")
    before = VocabularyTerm.objects.count()
    post = {"scheme": "category", "slug": "kodomo-shokudo", "label": "重複", "sort_order": 0}
    response = secretariat.post(url, post)
    assert response.status_code == 200
    assert "同じ種類に同じスラッグの語がすでにあります" in response.content.decode()
    assert VocabularyTerm.objects.count() == before


# -- admission and status ------------------------------------------------------------------


def decide(client: Client, member: Member, decision: str):
    """Post the decision, with the reason suspend / reinstate / withdraw ask for."""
    url = reverse("wagtailsnippets_directory_member:decision", args=[member.pk, decision])
    return client.post(url, {"reason": "事務局の判断です。"})


def test_approving_an_applicant_provisions_and_notifies(secretariat):
    applicant = MemberFactory(status=MemberStatus.APPLIED, email="info@midori.example.org")
    url = reverse("wagtailsnippets_directory_member:decision", args=[applicant.pk, "approve"])
    assert secretariat.get(url).status_code == 200
    assert decide(secretariat, applicant, "approve").status_code == 302
    applicant.refresh_from_db()
    assert applicant.status == MemberStatus.APPROVED
    assert MemberPage.objects.get(member=applicant).live
    assert GroupPagePermission.objects.filter(group=applicant.group).exists()
    assert [m.to for m in mail.outbox] == [["info@midori.example.org"]]
    assert "承認" in mail.outbox[0].subject


def test_declining_sets_status_without_any_page(secretariat):
    applicant = MemberFactory(status=MemberStatus.APPLIED, email="info@example.org")
    decide(secretariat, applicant, "decline")
    applicant.refresh_from_db()
    assert applicant.status == MemberStatus.DECLINED
    assert not MemberPage.objects.filter(member=applicant).exists()
    assert applicant.group is None
    assert len(mail.outbox) == 1


def test_decision_not_allowed_from_current_status_is_404(secretariat):
    member = MemberFactory()
    assert decide(secretariat, member, "decline").status_code == 404
    assert decide(secretariat, member, "nonsense").status_code == 404
    member.refresh_from_db()
    assert member.status == MemberStatus.APPROVED


def test_member_editor_cannot_approve_anyone(editor_client):
    applicant = MemberFactory(status=MemberStatus.APPLIED)
    assert decide(editor_client, applicant, "approve").status_code in (302, 403)
    applicant.refresh_from_db()
    assert applicant.status == MemberStatus.APPLIED


def test_suspension_removes_editor_rights_and_unpublishes_pages(secretariat):
    member = MemberFactory()
    listing = PlacePageFactory(member=member)
    editor = logged_in(EditorFactory(member=member))
    edit_url = reverse("wagtailadmin_pages:edit", args=[listing.pk])
    assert editor.get(edit_url).status_code == 200

    decide(secretariat, member, "suspend")

    member.refresh_from_db()
    assert member.status == MemberStatus.SUSPENDED
    assert editor.get(edit_url).status_code in (302, 403, 404)
    assert not PlacePage.objects.get(pk=listing.pk).live
    assert not MemberPage.objects.get(member=member).live
    assert PlacePage.objects.filter(pk=listing.pk).exists()


def test_reinstating_restores_rights_and_the_profile_page(secretariat):
    member = MemberFactory()
    listing = PlacePageFactory(member=member)
    editor = logged_in(EditorFactory(member=member))
    decide(secretariat, member, "suspend")
    assert decide(secretariat, member, "approve").status_code == 404  # reinstating is its own step
    decide(secretariat, member, "reinstate")
    assert editor.get(reverse("wagtailadmin_pages:edit", args=[listing.pk])).status_code == 200
    assert MemberPage.objects.get(member=member).live
    assert not PlacePage.objects.get(pk=listing.pk).live


def test_withdrawal_removes_rights_and_unpublishes(secretariat):
    member = MemberFactory()
    listing = PlacePageFactory(member=member)
    decide(secretariat, member, "withdraw")
    member.refresh_from_db()
    assert member.status == MemberStatus.WITHDRAWN
    assert not member.group.permissions.exists()
    assert not PlacePage.objects.get(pk=listing.pk).live


def test_status_cannot_be_changed_through_the_edit_form(secretariat):
    applicant = MemberFactory(status=MemberStatus.APPLIED, name="申請中の会")
    url = reverse("wagtailsnippets_directory_member:edit", args=[applicant.pk])
    form = secretariat.get(url).context["form"]
    assert "status" not in form.fields


def test_the_add_member_form_opens_with_its_slug_editable(secretariat):
    """The slug rule filtered pages on the unsaved member: the add form was a 500."""
    response = secretariat.get(reverse("wagtailsnippets_directory_member:add"))
    assert response.status_code == 200
    assert not response.context["form"].fields["slug"].disabled


def test_member_slug_is_fixed_once_its_page_exists(secretariat):
    """The page URL and iCal feed use the slug; renaming only the record broke both."""
    applicant = MemberFactory(status=MemberStatus.APPLIED, slug="kari-no-namae")
    url = reverse("wagtailsnippets_directory_member:edit", args=[applicant.pk])
    assert not secretariat.get(url).context["form"].fields["slug"].disabled
    member = MemberFactory(slug="hidamari")
    url = reverse("wagtailsnippets_directory_member:edit", args=[member.pk])
    assert secretariat.get(url).context["form"].fields["slug"].disabled
    data = {
        "name": "ひだまりの会（新）",
        "kana": member.kana,
        "slug": "renamed",
        "member_type": member.member_type,
        "role": member.role,
    }
    assert secretariat.post(url, data).status_code == 302
    member.refresh_from_db()
    assert (member.name, member.slug) == ("ひだまりの会（新）", "hidamari")
    assert member.page.slug == "hidamari"


# -- reports -------------------------------------------------------------------------------


def test_secretariat_triages_a_report(secretariat):
    listing = PlacePageFactory()
    report = ListingReport.objects.create(page=listing, reason="schedule")
    url = reverse("wagtailsnippets_directory_listingreport:edit", args=[report.pk])
    response = secretariat.post(
        url, {"page": listing.pk, "reason": "schedule", "message": "", "status": "resolved"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "resolved"


# -- areas ---------------------------------------------------------------------------------


def area_post(**changes) -> dict:
    municipality = MunicipalityFactory()
    data = {
        "name": "第九小学校区",
        "kana": "だいきゅうしょうがっこうく",
        "level": "school_district",
        "code": f"{municipality.code}-09",
        "parent": municipality.pk,
        "centroid_lat": "35.71",
        "centroid_lng": "139.71",
        "outline": json.dumps(
            {
                "type": "Polygon",
                "coordinates": [[[139.7, 35.7], [139.72, 35.7], [139.72, 35.72], [139.7, 35.7]]],
            }
        ),
        "sort_order": 9,
    }
    return data | changes


def test_secretariat_adds_a_school_district_with_outline(secretariat):
    response = secretariat.post(reverse("wagtailsnippets_directory_area:add"), area_post())
    assert response.status_code == 302
    area = Area.objects.get(name="第九小学校区")
    assert area.parent.level == Area.Level.MUNICIPALITY
    assert area.outline["type"] == "Polygon"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"outline": json.dumps({"type": "Point", "coordinates": [139.7, 35.7]})}, "Polygon"),
        ({"outline": "{not json"}, "JSON"),
        ({"parent": ""}, "上位の地域の区分が正しくありません"),
        ({"centroid_lat": "135.0"}, "緯度は日本国内"),
        ({"level": "municipality", "code": "123456"}, "全国地方公共団体コード"),
    ],
)
def test_bad_area_is_refused_in_japanese(secretariat, changes, message):
    data = area_post(**changes)
    before = Area.objects.count()
    response = secretariat.post(reverse("wagtailsnippets_directory_area:add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Area.objects.count() == before


# -- notices -------------------------------------------------------------------------------


def test_failing_mail_server_does_not_undo_the_decision(secretariat, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr("directory.membership.lifecycle.send_mail", refuse)
    applicant = MemberFactory(status=MemberStatus.APPLIED, email="info@example.org")
    response = secretariat.post(
        reverse("wagtailsnippets_directory_member:decision", args=[applicant.pk, "approve"]),
        follow=True,
    )
    applicant.refresh_from_db()
    assert applicant.status == MemberStatus.APPROVED
    assert "お知らせのメールを送れませんでした" in response.content.decode()


def test_no_notice_without_an_organisational_email(secretariat):
    applicant = MemberFactory(status=MemberStatus.APPLIED, email="")
    decide(secretariat, applicant, "decline")
    assert mail.outbox == []
