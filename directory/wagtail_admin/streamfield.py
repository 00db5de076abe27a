"""StreamField data that Wagtail cannot read: refused with a Japanese message, never a 500.

Wagtail's StreamBlock and ListBlock read their management fields (`<prefix>-count`, each
item's `-deleted`, `-type`, `-order`) with data[...] and int(). A hand-made POST without them
raised KeyError or ValueError inside Wagtail. The form field below checks those keys where the
data is first read (the widget) and refuses incomplete data as a form error.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from wagtail.blocks import Block, ListBlock, StreamBlock, StructBlock
from wagtail.blocks.base import BlockField, BlockWidget

INCOMPLETE_STREAM_MESSAGE = (
    "フォームの内容が不完全です。ページを読み込み直してから、もう一度保存してください。"
)


def is_integer(value: Any) -> bool:
    try:
        int(value)
    except (TypeError, ValueError):
        return False
    return True


def stream_data_complete(block: Block, data: Mapping[str, Any], prefix: str) -> bool:
    """Whether `data` holds every management field Wagtail will read for `block` at `prefix`.

    Walks the keys the way StreamBlock, ListBlock and StructBlock.value_from_datadict do (deleted
    items and unknown block types are skipped there, so here too), reading no block values.
    """
    if isinstance(block, StructBlock):
        return all(
            stream_data_complete(child, data, f"{prefix}-{name}")
            for name, child in block.child_blocks.items()
        )
    if not isinstance(block, StreamBlock | ListBlock):
        return True
    count = data.get(f"{prefix}-count")
    if count is None or not is_integer(count):
        return False
    for i in range(int(count)):
        item = f"{prefix}-{i}"
        if f"{item}-deleted" not in data:
            return False
        if data[f"{item}-deleted"]:
            continue
        if isinstance(block, StreamBlock):
            if f"{item}-type" not in data:
                return False
            child = block.child_blocks.get(data[f"{item}-type"])
            if child is None:  # Wagtail skips an unknown block type
                continue
        else:
            child = block.child_block
        if not is_integer(data.get(f"{item}-order")):
            return False
        if not stream_data_complete(child, data, f"{item}-value"):
            return False
    return True


class IncompleteStreamData:
    """What the widget reads from data that Wagtail cannot read; the field refuses it."""


INCOMPLETE = IncompleteStreamData()


class CheckedBlockWidget(BlockWidget):
    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> Any:
        if not stream_data_complete(self.block_def, data, name):
            return INCOMPLETE
        return super().value_from_datadict(data, files, name)


class CheckedBlockField(BlockField):
    """The StreamField form field, refusing posted data without its management fields.

    Registered for every StreamField in the Wagtail admin (DirectoryConfig.ready), so page,
    snippet and preview forms all show the form again with a Japanese message, never a 500.
    """

    def __init__(self, block: Block | None = None, **kwargs: Any) -> None:
        if block is not None:
            kwargs.setdefault("widget", CheckedBlockWidget(block))
        super().__init__(block=block, **kwargs)

    def clean(self, value: Any) -> Any:
        if value is INCOMPLETE:
            raise ValidationError(INCOMPLETE_STREAM_MESSAGE, code="incomplete")
        return super().clean(value)

    def bound_data(self, data: Any, initial: Any) -> Any:
        """Show the content as it was, not data that could not be read."""
        return initial if data is INCOMPLETE else super().bound_data(data, initial)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return data is not INCOMPLETE and super().has_changed(initial, data)
