"""Issue 15 item 9: the PF's own pages — お知らせ with RSS, 分科会, PF events, footer pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from defusedxml import ElementTree as ET
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from directory.models import MemberStatus
from directory.wagtail_admin import organisation
from tests.factories.directory import EditorFactory, EventPageFactory, MemberFactory
from tests.factories.membership import logged_in
from website.models import HomePage, StandardPage
from website.pf_pages import (
    NewsIndexPage,
    NewsPage,
    PlatformEventPage,
    WorkingGroupMembership,
    WorkingGroupPage,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return HomePage.objects.get()


@pytest.fixture
def news_index(home):
    return home.add_child(instance=NewsIndexPage(title="お知らせ", slug="news"))


def add_news(index, title, days_ago, lead="", live=True):
    page = index.add_child(
        instance=NewsPage(
            title=title,
            date=timezone.localdate() - timedelta(days=days_ago),
            lead=lead,
            live=live,
        )
    )
    page.save_revision(log_action=False)
    return page


def test_news_index_lists_public_news_newest_first(client, news_index):
    add_news(news_index, "古いお知らせ", 30)
    add_news(news_index, "新しいお知らせ", 1, lead="全体会を開きます")
    add_news(news_index, "下書きのお知らせ", 0, live=False)
    hidden = add_news(news_index, "会員だけのお知らせ", 0)
    PageViewRestriction.objects.create(page=hidden, restriction_type="login")

    html = client.get(news_index.url).content.decode()

    assert html.index("新しいお知らせ") < html.index("古いお知らせ")
    assert "全体会を開きます" in html
    assert "下書きのお知らせ" not in html and "会員だけのお知らせ" not in html
    assert reverse("news-feed") in html  # <link rel=alternate> and the explained link


def test_news_page_shows_its_date(client, news_index):
    page = add_news(news_index, "研修のご案内", 0)
    html = client.get(page.url).content.decode()
    today = timezone.localdate()
    assert f'datetime="{today:%Y-%m-%d}"' in html
    assert f"{today.year}年{today.month}月{today.day}日" in html


def test_rss_feed_is_valid_rss_with_the_public_news(client, news_index):
    add_news(news_index, "新しいお知らせ", 1, lead="要約です")
    add_news(news_index, "下書き", 0, live=False)

    response = client.get(reverse("news-feed"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel is not None
    assert channel.findtext("title") == "つながり のお知らせ"
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["新しいお知らせ"]
    assert items[0].findtext("description") == "要約です"
    assert items[0].findtext("link", "").endswith(NewsPage.objects.get(title="新しいお知らせ").url)
    assert items[0].findtext("pubDate")


def test_home_shows_the_latest_three_news(client, news_index):
    for days in range(5):
        add_news(news_index, f"お知らせ{days}", days)
    html = client.get("/").content.decode()
    assert "お知らせ0" in html and "お知らせ2" in html
    assert "お知らせ3" not in html
    assert f'href="{news_index.url}"' in html


def test_home_without_news_has_no_empty_news_section(client):
    html = client.get("/").content.decode()
    assert 'id="news-heading"' not in html


def test_footer_links_the_pages_the_secretariat_puts_in_the_menu(client, home):
    shown = home.add_child(
        instance=StandardPage(title="プライバシーポリシー", slug="privacy", show_in_menus=True)
    )
    home.add_child(instance=StandardPage(title="メニューに出さないページ", slug="plain"))
    html = client.get("/search/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'href="{shown.url}">プライバシーポリシー</a>' in footer
    assert "メニューに出さないページ" not in footer


@pytest.fixture
def group(home):
    return home.add_child(
        instance=WorkingGroupPage(
            title="こどもの居場所分科会", slug="kodomo", lead="こども食堂など"
        )
    )


def test_working_group_page_lists_its_members_and_their_upcoming_events(client, group):
    joined, other = MemberFactory(name="参加団体"), MemberFactory(name="ほかの団体")
    WorkingGroupMembership.objects.create(group=group, member=joined)
    EventPageFactory(member=joined, title="参加団体のイベント")
    EventPageFactory(member=other, title="ほかの団体のイベント")

    html = client.get(group.url).content.decode()

    assert "参加団体" in html and "参加団体のイベント" in html
    assert "ほかの団体" not in html


def test_a_suspended_member_is_not_listed_on_its_working_group(client, group):
    member = MemberFactory(name="休止した団体")
    WorkingGroupMembership.objects.create(group=group, member=member)
    member.status = MemberStatus.SUSPENDED
    member.save()
    assert "休止した団体" not in client.get(group.url).content.decode()


def test_pf_events_under_a_working_group_show_while_upcoming(client, group):
    now = timezone.now()
    for title, start in (
        ("次の会合", now + timedelta(days=3)),
        ("終わった会合", now - timedelta(days=3)),
    ):
        group.add_child(instance=PlatformEventPage(title=title, starts_at=start))
    html = client.get(group.url).content.decode()
    assert "次の会合" in html and "会員団体向け" in html
    assert "終わった会合" not in html
    event = PlatformEventPage.objects.get(title="次の会合")
    assert client.get(event.url).status_code == 200


def test_a_member_editor_joins_and_leaves_a_working_group(group):
    member = MemberFactory()
    client = logged_in(EditorFactory(member=member))
    url = reverse(organisation.WORKING_GROUPS_URL_NAME, args=[member.pk])

    assert "参加する" in client.get(url).content.decode()
    client.post(url, {"group": group.pk, "action": "join"})
    client.post(url, {"group": group.pk, "action": "join"})  # twice changes nothing
    assert list(WorkingGroupMembership.objects.values_list("member", flat=True)) == [member.pk]
    assert "退出する" in client.get(url).content.decode()

    client.post(url, {"group": group.pk, "action": "leave"})
    assert not WorkingGroupMembership.objects.exists()


def test_an_editor_cannot_join_for_another_member(group):
    mine, theirs = MemberFactory(), MemberFactory()
    client = logged_in(EditorFactory(member=mine))
    url = reverse(organisation.WORKING_GROUPS_URL_NAME, args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"group": group.pk, "action": "join"}).status_code == 404
    assert not WorkingGroupMembership.objects.exists()


@pytest.mark.parametrize("group_id", ["", "abc", "999999", "1; DROP"])
def test_a_tampered_group_id_is_a_404_not_a_500(group, group_id):
    member = MemberFactory()
    client = logged_in(EditorFactory(member=member))
    url = reverse(organisation.WORKING_GROUPS_URL_NAME, args=[member.pk])
    assert client.post(url, {"group": group_id, "action": "join"}).status_code == 404


def test_a_suspended_members_editor_cannot_join(group):
    member = MemberFactory()
    editor = EditorFactory(member=member)
    member.status = MemberStatus.SUSPENDED
    member.save()
    url = reverse(organisation.WORKING_GROUPS_URL_NAME, args=[member.pk])
    assert logged_in(editor).post(url, {"group": group.pk, "action": "join"}).status_code == 404
    assert not WorkingGroupMembership.objects.exists()


def test_member_editors_cannot_edit_pf_pages(client, news_index):
    member = MemberFactory()
    editor = EditorFactory(member=member)
    page = add_news(news_index, "事務局のお知らせ", 0)
    response = logged_in(editor).get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert response.status_code in (302, 403)


def test_news_date_defaults_to_today():
    assert NewsPage().date == timezone.localdate()
    assert isinstance(NewsPage().date, date)
