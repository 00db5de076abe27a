"""Read helpers over the controlled vocabulary for forms, filters and labels."""

from __future__ import annotations

from directory.models import Area, VocabularyTerm


def vocabulary_choices(scheme: str) -> list[tuple[str, str]]:
    """(slug, label) pairs of one scheme in the 事務局's order, for form fields."""
    return list(
        VocabularyTerm.objects.filter(scheme=scheme)
        .order_by("sort_order", "slug")
        .values_list("slug", "label")
    )


def display_choices(scheme: str) -> list[tuple[str, str]]:
    """(slug, label as the visitor reads it) pairs: VocabularyTerm.display_label, for filters.

    vocabulary_choices stays Japanese: what is indexed and exported never changes language.
    """
    terms = VocabularyTerm.objects.filter(scheme=scheme).order_by("sort_order", "slug")
    return [(term.slug, term.display_label) for term in terms]


def vocabulary_labels(scheme: str) -> dict[str, str]:
    return dict(vocabulary_choices(scheme))


def local_area_choices() -> list[tuple[str, str]]:
    """The PF's municipalities and the areas inside them (Area.objects.for_platform)."""
    areas = Area.objects.for_platform().select_related("parent")
    return [
        (
            area.code,
            area.name if area.level == Area.Level.MUNICIPALITY else f"{area.parent} {area.name}",
        )
        for area in areas.order_by("parent__code", "level", "sort_order", "code")
    ]
