"""The 「絞り込み」 box above long checkbox lists in the listing editor (issue 15).

Typing hides the options that do not match; a ticked option stays ticked (and is saved) even
while it is hidden.
"""

import pytest
from django.urls import reverse

from tests.browser.conftest import admin_log_in, live_server_context
from tests.factories.directory import EditorFactory, EventPageFactory, MemberFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


def test_typing_in_the_filter_hides_other_co_organisers_and_keeps_ticks(chromium, live_server):
    member = MemberFactory(name="主催の会")
    for n in range(8):
        MemberFactory(name=f"ひまわり会{n}")
    MemberFactory(name="みどりの広場")
    MemberFactory(name="ミドリ子ども食堂")
    event = EventPageFactory(member=member)
    EditorFactory(member=member, username="filter-editor")

    context = live_server_context(chromium, live_server, DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    admin_log_in(page, live_server.url, "filter-editor", "pw")
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[event.pk]))
    page.get_by_role("tab", name="日時").click()
    ticked = page.locator("#id_co_organisers label", has_text="ひまわり会3").locator("input")
    ticked.check()

    box = page.locator("#id_co_organisers-filter")  # its label 絞り込み: the page test
    assert box.is_visible()  # shown by the script: the list is long
    box.fill("みどり")
    options = page.locator("#id_co_organisers input[type=checkbox]")
    visible = [
        options.nth(i).evaluate("e => e.closest('label').textContent.trim()")
        for i in range(options.count())
        if options.nth(i).is_visible()
    ]
    assert sorted(visible) == sorted(["みどりの広場", "ミドリ子ども食堂"])  # katakana folds
    assert not ticked.is_visible() and ticked.is_checked()

    box.fill("")
    assert ticked.is_visible() and ticked.is_checked()
    context.close()
