"""Moderation as a PF setting: members publish directly (default) or the 事務局 approves.

Wagtail's own data migration leaves a 「Moderators approval」 workflow active on the root page,
with a 「Moderators」 group nobody is in: a member who presses 「承認を申請」 locks its page
with no one to approve it. `apply_moderation()` (run after every migrate and whenever the PF
settings are saved) takes that dead end away, and creates or removes the 事務局's own
workflow on the members' index according to `PlatformSettings.secretariat_approval`.
"""

from __future__ import annotations

from django.db import transaction
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

WORKFLOW_NAME = "事務局の承認"
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


def secretariat_approval_wanted() -> bool:
    """The setting of the default site (the PF runs one site); off when none is saved yet."""
    from directory.membership.lifecycle import default_platform_settings

    found = default_platform_settings()
    return bool(found and found.secretariat_approval)


def deactivate_dead_ends() -> int:
    """Deactivate Wagtail's default workflow and any other on the root; returns how many."""
    ours = Workflow.objects.filter(name=WORKFLOW_NAME)
    root = Page.get_first_root_node()
    on_root = WorkflowPage.objects.filter(page=root).values("workflow") if root else []
    dead = (
        Workflow.objects.filter(active=True)
        .filter(name=WAGTAIL_DEFAULT_WORKFLOW)
        .union(Workflow.objects.filter(active=True, pk__in=on_root))
    )
    count = 0
    for workflow in Workflow.objects.filter(pk__in=[w.pk for w in dead]).exclude(pk__in=ours):
        workflow.deactivate()
        count += 1
    return count


def enable_secretariat_approval() -> Workflow | None:
    """One active workflow, 事務局 group as reviewers, on the members' index (their pages)."""
    from directory.membership.lifecycle import ensure_secretariat_group
    from directory.models import MemberIndexPage

    index = MemberIndexPage.objects.first()
    if index is None:
        return None
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.active:
        workflow.active = True
        workflow.save()
    task = GroupApprovalTask.objects.filter(name=WORKFLOW_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME)
    elif not task.active:
        task.active = True
        task.save()
    task.groups.set([ensure_secretariat_group()])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return workflow


def disable_secretariat_approval() -> None:
    """Direct publishing: the 事務局's workflow goes (pages waiting in it are released)."""
    for workflow in Workflow.objects.filter(name=WORKFLOW_NAME, active=True):
        workflow.deactivate()


def apply_moderation() -> bool:
    """Make the workflows match the setting; True when 事務局 approval is on."""
    wanted = secretariat_approval_wanted()
    with transaction.atomic():
        deactivate_dead_ends()
        if wanted:
            enable_secretariat_approval()
        else:
            disable_secretariat_approval()
    return wanted


def on_settings_saved(sender: object, **kwargs: object) -> None:
    """post_save of PlatformSettings: the 事務局 turned approval on or off."""
    apply_moderation()
