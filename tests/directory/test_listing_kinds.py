"""One kind → model map, derived from the models: importers and the demo cannot disagree."""

from __future__ import annotations

from directory.models import (
    EventPage,
    PlacePage,
    ServicePage,
    listing_models_by_kind,
    listing_page_models,
)


def test_every_listing_model_is_found_by_its_kind() -> None:
    assert listing_models_by_kind() == {
        "place": PlacePage,
        "service": ServicePage,
        "event": EventPage,
    }
    assert set(listing_models_by_kind().values()) == set(listing_page_models())


def test_the_importers_and_the_demo_use_the_one_map() -> None:
    from directory.demo import loader
    from exchange.hsds import importer

    assert not hasattr(importer, "KIND_MODELS")
    assert not hasattr(loader, "LISTING_MODELS")
