"""Issue 15 item 7: the listing editor has no Ctrl-click list boxes (weekdays, 第何週, 共催)."""

from __future__ import annotations

import re

import pytest
from django import forms
from django.urls import reverse

from directory.listings.blocks import MonthlyRuleBlock, WeeklyRuleBlock
from tests.factories.directory import EditorFactory, EventPageFactory, MemberFactory
from tests.factories.membership import logged_in


@pytest.mark.parametrize(
    ("block", "name"),
    [(WeeklyRuleBlock, "weekdays"), (MonthlyRuleBlock, "weekdays"), (MonthlyRuleBlock, "nths")],
)
def test_schedule_choices_are_checkboxes(block, name):
    assert isinstance(block().child_blocks[name].field.widget, forms.CheckboxSelectMultiple)


@pytest.mark.django_db
def test_co_organisers_are_checkboxes():
    member = MemberFactory()
    MemberFactory(name="一緒に開く団体")
    event = EventPageFactory(member=member)
    html = (
        logged_in(EditorFactory(member=member))
        .get(reverse("wagtailadmin_pages:edit", args=[event.pk]))
        .content.decode()
    )
    assert re.search(r'<input type="checkbox" name="co_organisers"', html)
    assert '<select name="co_organisers"' not in html


@pytest.mark.django_db
def test_long_checkbox_lists_have_a_filter_box_and_its_script():
    """共催団体 and the vocabularies get a 「絞り込み」 box, hidden until the script shows it."""
    member = MemberFactory()
    event = EventPageFactory(member=member)
    html = (
        logged_in(EditorFactory(member=member))
        .get(reverse("wagtailadmin_pages:edit", args=[event.pk]))
        .content.decode()
    )
    for name in ("co_organisers", "categories", "targets"):
        box = re.search(
            rf'<p class="tsunagari-checkbox-filter__box" hidden><label for="id_{name}-filter">'
            rf'絞り込み</label> <input type="search" id="id_{name}-filter"',
            html,
        )
        assert box, name
    assert re.search(r'<script src="[^"]*js/checkbox-filter\.js"></script>', html)
