"""Moderation as a PF setting (issue 15 Build 5): never Wagtail's empty default workflow."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, Page, Site, Workflow, WorkflowPage, WorkflowTask

from directory.bootstrap import ensure_platform
from directory.membership.access import SECRETARIAT_GROUP
from directory.membership.moderation import WORKFLOW_NAME
from directory.models import MemberIndexPage
from tests.factories.directory import PlacePageFactory
from website.models import PlatformSettings

pytestmark = pytest.mark.django_db


def wagtails_default_workflow() -> Workflow:
    """What Wagtail's data migration creates: an active workflow on the root, empty group."""
    workflow = Workflow.objects.create(name="Moderators approval", active=True)
    task = GroupApprovalTask.objects.create(name="Moderators approval")
    task.groups.set([Group.objects.get_or_create(name="Moderators")[0]])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=Page.get_first_root_node())
    return workflow


def set_approval(on: bool) -> None:
    site = Site.objects.get(is_default_site=True)
    settings = PlatformSettings.for_site(site)
    settings.secretariat_approval = on
    settings.save()


def test_bootstrap_deactivates_the_default_workflow():
    default = wagtails_default_workflow()
    ensure_platform()
    default.refresh_from_db()
    assert not default.active
    assert not WorkflowPage.objects.filter(workflow=default).exists()


def test_by_default_members_publish_directly(member):
    wagtails_default_workflow()
    ensure_platform()
    listing = PlacePageFactory(member=member)
    assert listing.get_workflow() is None


def test_approval_on_creates_a_secretariat_workflow_on_the_members_index(member):
    wagtails_default_workflow()
    ensure_platform()
    set_approval(True)
    workflow = Workflow.objects.get(name=WORKFLOW_NAME, active=True)
    index = MemberIndexPage.objects.get()
    assert WorkflowPage.objects.get(page=index).workflow == workflow
    (task,) = [t.specific for t in workflow.tasks]
    assert [g.name for g in task.groups.all()] == [SECRETARIAT_GROUP]
    listing = PlacePageFactory(member=member)
    assert listing.get_workflow() == workflow
    # Still no dead end on the root.
    assert not Workflow.objects.filter(name="Moderators approval", active=True).exists()


def test_approval_off_removes_it_again(member):
    set_approval(True)
    set_approval(False)
    assert not Workflow.objects.filter(name=WORKFLOW_NAME, active=True).exists()
    assert not WorkflowPage.objects.filter(page=MemberIndexPage.objects.get()).exists()
    assert PlacePageFactory(member=member).get_workflow() is None


def test_turning_approval_on_twice_keeps_one_workflow():
    set_approval(True)
    set_approval(True)
    ensure_platform()
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1
    assert WorkflowTask.objects.filter(workflow__name=WORKFLOW_NAME).count() == 1
