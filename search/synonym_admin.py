"""The 事務局's 「検索の同義語」 snippet: its admin view and who may use it.

Only the 事務局 (`is_secretariat`, directory/membership/access.py) may list, add, change or
delete entries: a permission policy asks that predicate instead of Django model permissions,
so no group assignment can hand the synonym list to a member's editors.
search/wagtail_hooks.py registers both.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.snippets.views.snippets import SnippetViewSet

from directory.membership.access import SECRETARIAT_GROUP, is_secretariat
from search.models import SynonymEntry


class SecretariatOnlyPolicy(BasePermissionPolicy):
    """Every action on the model is the 事務局's, and nobody else's."""

    def user_has_permission(self, user: Any, action: str) -> bool:
        return is_secretariat(user)

    def user_has_any_permission(self, user: Any, actions: Any) -> bool:
        return is_secretariat(user)

    def users_with_any_permission(self, actions: Any) -> QuerySet[Any]:
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name=SECRETARIAT_GROUP))
            .filter(is_active=True)
            .distinct()
        )


class SynonymEntryViewSet(SnippetViewSet):
    model = SynonymEntry
    icon = "search"
    menu_label = "検索の同義語"
    menu_name = "search-synonyms"
    add_to_admin_menu = True
    menu_order = 210
    list_display = ["__str__", "one_way", "note", "updated_at"]
    list_filter = ["one_way"]
    search_fields = ["words", "note"]
    panels = [FieldPanel("words"), FieldPanel("one_way"), FieldPanel("note")]
