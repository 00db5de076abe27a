"""Snippet choosers that list only what directory.membership.access lets the user see.

Wagtail's snippet chooser views check no permission: any admin user could list every member
(applicants included) and every resident report through /admin/snippets/choose/…. The page
chooser is narrowed by the construct_page_chooser_queryset hook instead (see guards).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)

from core.text import fold, nfkc
from directory.membership import access
from directory.models.areas import AreaQuerySet

Narrowing = Callable[[Any, QuerySet[Any]], QuerySet[Any]]


def narrowed_chooser(
    narrow: Narrowing, name: str, filter_form_class: type[BaseFilterForm] | None = None
) -> type[SnippetChooserViewSet]:
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
        extra = {"filter_form_class": filter_form_class} if filter_form_class else {}
        return type(f"{name}{base.__name__}", (Narrowed, base), extra)

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


class AreaSearchForm(BaseFilterForm):
    """Search the 地域 chooser by name, よみがな (either kana) or code.

    Area is not in Wagtail's search index, so Wagtail's chooser had no search box at all.
    """

    q = forms.CharField(label="地域名・よみがな・コード", required=False)

    def filter(self, objects: QuerySet[Any]) -> QuerySet[Any]:
        query = nfkc(self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        self.is_searching, self.search_query = True, query
        return objects.filter(
            Q(name__icontains=query) | Q(kana__icontains=fold(query)) | Q(code__startswith=query)
        )


MemberChooserViewSet = narrowed_chooser(access.members_visible_to, "Member")


# 地域 on a listing: the PF's own areas, not the 1,900 municipalities of the registry.
def platform_areas(user: Any, areas: QuerySet[Any]) -> QuerySet[Any]:
    """Whoever asks, the PF's own areas (an area is public; only the choice is narrowed)."""
    return cast(AreaQuerySet, areas).for_platform()


AreaChooserViewSet = narrowed_chooser(platform_areas, "Area", filter_form_class=AreaSearchForm)
ReportChooserViewSet = narrowed_chooser(access.reports_visible_to, "Report")
