"""Snippet choosers that list only what directory.membership.access lets the user see.

Wagtail's snippet chooser views check no permission: any admin user could list every member
(applicants included) and every resident report through /admin/snippets/choose/…. The page
chooser is narrowed by the construct_page_chooser_queryset hook instead (see guards).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)

from directory.membership import access

Narrowing = Callable[[Any, QuerySet[Any]], QuerySet[Any]]


def narrowed_chooser(narrow: Narrowing, name: str) -> type[SnippetChooserViewSet]:
    """A snippet chooser viewset whose every view lists only `narrow(user, objects)`."""

    class Narrowed:
        request: HttpRequest
        model_class: Any

        def get_object_list(self) -> QuerySet[Any]:
            return narrow(self.request.user, super().get_object_list())  # type: ignore[misc]

        def get_object(self, pk: Any) -> Any:
            return narrow(self.request.user, self.model_class.objects.all()).get(pk=pk)

        def get_objects(self, pks: list[str]) -> QuerySet[Any]:
            return narrow(self.request.user, self.model_class.objects.filter(pk__in=pks))

    def view(base: type) -> type:
        return type(f"{name}{base.__name__}", (Narrowed, base), {})

    return type(
        f"{name}ChooserViewSet",
        (SnippetChooserViewSet,),
        {
            "choose_view_class": view(ChooseView),
            "choose_results_view_class": view(ChooseResultsView),
            "chosen_view_class": view(SnippetChosenView),
            "chosen_multiple_view_class": view(SnippetChosenMultipleView),
        },
    )


MemberChooserViewSet = narrowed_chooser(access.members_visible_to, "Member")
ReportChooserViewSet = narrowed_chooser(access.reports_visible_to, "Report")
