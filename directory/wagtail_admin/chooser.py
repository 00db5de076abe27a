"""The page chooser shows member editors other members' live pages only, never their drafts.

Choosing another member's 居場所 as an event's venue is normal collaboration, but a draft's
title (a plan not yet announced) belongs to its member until it is published.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q, QuerySet
from wagtail.models import GroupPagePermission, Page

from directory.membership.lifecycle import SECRETARIAT_GROUP


def own_subtrees(user: AbstractBaseUser) -> Q | None:
    """Pages at or below those where the user's groups hold page permissions."""
    paths = set(
        GroupPagePermission.objects.filter(group__user=user).values_list("page__path", flat=True)
    )
    return reduce(or_, (Q(path__startswith=path) for path in paths)) if paths else None


def pages_choosable_by(pages: QuerySet[Page], user: AbstractBaseUser) -> QuerySet[Page]:
    if user.is_superuser or user.groups.filter(name=SECRETARIAT_GROUP).exists():
        return pages
    own = own_subtrees(user)
    return pages.filter(Q(live=True) | own) if own is not None else pages.live()
