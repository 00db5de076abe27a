"""所在地非公開: a switch for showing the 小学校区, and no stored address left on such places.

Earlier forms emptied only the address and the point of a confidential place and kept the
postal code and building name; this clears every part, in the pages and in their revisions
(the revision history is stored too, and an address there is still an address).
"""

from typing import Any

from django.db import migrations, models

LISTING_MODELS = ("placepage", "servicepage", "eventpage")
EMPTIED: dict[str, Any] = {
    "postal_code": "",
    "address": "",
    "address_building": "",
    "lat": None,
    "lng": None,
}


def clear_confidential_places(apps: Any, schema_editor: Any) -> None:
    Revision = apps.get_model("wagtailcore", "Revision")
    for name in LISTING_MODELS:
        model = apps.get_model("directory", name)
        confidential = model.objects.filter(location_mode="confidential")
        ids = [str(pk) for pk in confidential.values_list("pk", flat=True)]
        confidential.update(**EMPTIED)
        revisions = Revision.objects.filter(
            content_type__app_label="directory", content_type__model=name, object_id__in=ids
        )
        for revision in revisions.iterator():
            content = revision.content or {}
            if any(content.get(field) not in (None, "") for field in EMPTIED):
                revision.content = {**content, **EMPTIED}
                revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0002_schedule_closed_on_holidays"),
    ]

    operations = [
        migrations.AddField(
            model_name="eventpage",
            name="show_area_when_confidential",
            field=models.BooleanField(
                default=True,
                help_text="所在地を公開しない場合、ふつうは地域（小学校区など）だけを表示します。DV などの相談窓口で、学区を示すだけでも場所が推測されるおそれがあるときはチェックを外してください。市区町村名だけを表示します。",
                verbose_name="所在地を公開しないときも地域（小学校区など）を表示する",
            ),
        ),
        migrations.AddField(
            model_name="placepage",
            name="show_area_when_confidential",
            field=models.BooleanField(
                default=True,
                help_text="所在地を公開しない場合、ふつうは地域（小学校区など）だけを表示します。DV などの相談窓口で、学区を示すだけでも場所が推測されるおそれがあるときはチェックを外してください。市区町村名だけを表示します。",
                verbose_name="所在地を公開しないときも地域（小学校区など）を表示する",
            ),
        ),
        migrations.AddField(
            model_name="servicepage",
            name="show_area_when_confidential",
            field=models.BooleanField(
                default=True,
                help_text="所在地を公開しない場合、ふつうは地域（小学校区など）だけを表示します。DV などの相談窓口で、学区を示すだけでも場所が推測されるおそれがあるときはチェックを外してください。市区町村名だけを表示します。",
                verbose_name="所在地を公開しないときも地域（小学校区など）を表示する",
            ),
        ),
        migrations.AlterField(
            model_name="eventpage",
            name="location_mode",
            field=models.CharField(
                choices=[
                    ("address", "所在地を公開する"),
                    ("confidential", "所在地は公開しない（地域のみ表示）"),
                    ("online", "オンラインのみ（場所なし）"),
                ],
                default="address",
                help_text="「所在地は公開しない」を選ぶと、保存するときに郵便番号・住所・方書・地図の位置を空にします（どこにも表示・出力されません）。",
                max_length=20,
                verbose_name="場所の公開",
            ),
        ),
        migrations.AlterField(
            model_name="placepage",
            name="location_mode",
            field=models.CharField(
                choices=[
                    ("address", "所在地を公開する"),
                    ("confidential", "所在地は公開しない（地域のみ表示）"),
                    ("online", "オンラインのみ（場所なし）"),
                ],
                default="address",
                help_text="「所在地は公開しない」を選ぶと、保存するときに郵便番号・住所・方書・地図の位置を空にします（どこにも表示・出力されません）。",
                max_length=20,
                verbose_name="場所の公開",
            ),
        ),
        migrations.AlterField(
            model_name="servicepage",
            name="location_mode",
            field=models.CharField(
                choices=[
                    ("address", "所在地を公開する"),
                    ("confidential", "所在地は公開しない（地域のみ表示）"),
                    ("online", "オンラインのみ（場所なし）"),
                ],
                default="address",
                help_text="「所在地は公開しない」を選ぶと、保存するときに郵便番号・住所・方書・地図の位置を空にします（どこにも表示・出力されません）。",
                max_length=20,
                verbose_name="場所の公開",
            ),
        ),
        migrations.RunPython(clear_confidential_places, migrations.RunPython.noop),
    ]
