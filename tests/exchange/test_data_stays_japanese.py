"""What is indexed, exported and read back stays Japanese whoever's language is active.

Found (issue 12, English UI): model choices got lazy labels, so HSDS export handed json.dumps a
lazy object (TypeError on every import round trip), and a search document built or a file
exported during an English request would have held "Free" where residents search 無料.
"""

import json

import pytest
from django.utils import translation

from directory.models import CostType
from exchange.hsds.export import export_services
from exchange.hsds.reading import COST_LABELS
from search.documents import build_document
from tests.factories.directory import PlacePageFactory
from tests.factories.hsds import exchange_corpus

pytestmark = pytest.mark.django_db


def test_hsds_export_is_plain_json_in_japanese_on_an_english_request():
    exchange_corpus()
    with translation.override("en"):
        services = json.loads(json.dumps(list(export_services()), ensure_ascii=False))
    options = [o["option"] for s in services for o in s.get("cost_options", [])]
    assert "無料" in options and "Free" not in options


def test_a_search_document_built_in_english_still_says_無料():
    listing = PlacePageFactory(cost_type=CostType.FREE)
    with translation.override("en"):
        document = build_document(listing)
    assert document is not None
    assert "無料" in document["labels"] and "Free" not in document["labels"]
    assert all(isinstance(label, str) for label in document["labels"])


def test_the_importer_reads_japanese_cost_labels_whatever_the_language():
    with translation.override("en"):
        assert COST_LABELS.get("無料") == CostType.FREE
    assert all(type(label) is str for label in COST_LABELS)
