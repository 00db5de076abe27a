"""The public membership application /join/: organisational data only, never a 500."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from directory.listings.validators import corporate_number_check_digit
from directory.models import Member, MemberStatus, VocabularyTerm
from tests.factories.directory import AreaFactory
from tests.factories.membership import SecretariatUserFactory
from website.models import PlatformSettings

pytestmark = pytest.mark.django_db

VALID_CORPORATE_NUMBER = f"{corporate_number_check_digit('000012345678')}000012345678"


def term_pk(scheme: str, slug: str) -> int:
    return VocabularyTerm.objects.get(scheme=scheme, slug=slug).pk


def application(**changes) -> dict:
    data = {
        "name": "NPO法人 みどりの広場",
        "kana": "みどりのひろば",
        "member_type": "npo",
        "corporate_number": VALID_CORPORATE_NUMBER,
        "fields": [term_pk("category", "kodomo-shokudo")],
        "targets": [term_pk("target", "children")],
        "offers": [term_pk("offer", "venue")],
        "looks_for": [term_pk("offer", "volunteers")],
        "phone": "03-1234-5678",
        "email": "info@midori.example.org",
        "contact_point": "事務局",
        "description": "毎週水曜にこども食堂を開いています。",
        "application_note": "",
    }
    return data | changes


def test_form_page_renders_in_japanese_with_csrf(client):
    response = client.get(reverse("membership-apply"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "入会の申請" in page
    assert "csrfmiddlewaretoken" in page
    assert 'lang="ja"' in page


def test_valid_application_creates_an_applied_member(client):
    area = AreaFactory()
    response = client.post(reverse("membership-apply"), application(areas=[area.pk]))
    assert response.status_code == 302
    assert response.url == reverse("membership-apply-thanks")
    member = Member.objects.get(name="NPO法人 みどりの広場")
    assert member.status == MemberStatus.APPLIED
    assert member.group is None and member.collection is None
    assert list(member.areas.all()) == [area]
    assert [t.slug for t in member.fields.all()] == ["kodomo-shokudo"]
    assert [t.slug for t in member.looks_for.all()] == ["volunteers"]
    assert member.slug.startswith("applicant-")
    assert "受け付けました" in client.get(response.url).content.decode()


def test_two_applications_get_distinct_slugs(client):
    client.post(reverse("membership-apply"), application())
    client.post(reverse("membership-apply"), application(name="別の団体"))
    assert Member.objects.values("slug").distinct().count() == 2


def test_full_width_corporate_number_is_accepted(client):
    full_width = VALID_CORPORATE_NUMBER.translate(
        str.maketrans("0123456789", "０１２３４５６７８９")
    )
    client.post(reverse("membership-apply"), application(corporate_number=full_width))
    assert Member.objects.get().corporate_number == VALID_CORPORATE_NUMBER


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"corporate_number": "1234567890123"}, "法人番号の検査用数字が一致しません"),
        ({"corporate_number": "12345"}, "法人番号は半角数字13桁"),
        ({"name": ""}, "この項目は必須です"),
        ({"email": "not-an-email"}, "有効なメールアドレスを入力してください"),
        ({"member_type": "bank"}, "正しく選択してください"),
        ({"fields": ["999999"]}, "正しく選択してください"),
        ({"areas": ["abc"]}, "は無効な値です"),
        ({"description": "担当は山田太郎さんです。"}, "個人"),
        ({"application_note": "相談者の電話は090-1234-5678です"}, "電話番号"),
    ],
)
def test_bad_input_is_refused_in_japanese_and_nothing_saved(client, changes, message):
    response = client.post(reverse("membership-apply"), application(**changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Member.objects.exists()


def test_personal_information_message_does_not_echo_the_text(client):
    response = client.post(reverse("membership-apply"), application(contact_point="山田太郎さん"))
    errors = response.context["form"].errors["contact_point"]
    assert errors and all("山田" not in error for error in errors)


def test_post_without_csrf_token_is_refused():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("membership-apply"), application())
    assert response.status_code == 403
    assert not Member.objects.exists()


def test_form_is_not_cached(client):
    response = client.get(reverse("membership-apply"))
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]


def test_the_secretariat_is_mailed_about_a_new_application(client):
    """Issue 15: an application sat unseen until someone opened 会員団体 in the admin."""
    PlatformSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={"secretariat_email": "jimukyoku@pf.example.jp"},
    )
    staff = SecretariatUserFactory(email="staff@pf.example.jp")
    client.post(reverse("membership-apply"), application())
    member = Member.objects.get()
    assert sorted(m.to[0] for m in mail.outbox) == ["jimukyoku@pf.example.jp", staff.email]
    message = mail.outbox[0]
    assert "NPO法人 みどりの広場" in message.subject
    assert reverse("wagtailsnippets_directory_member:edit", args=[member.pk]) in message.body
    assert "毎週水曜" not in message.body  # what they wrote stays in the admin
