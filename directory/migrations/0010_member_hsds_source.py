from django.db import migrations, models


class Migration(migrations.Migration):
    """Organisation-level nested ids received by an HSDS import (issue 16)."""

    dependencies = [
        ("directory", "0009_member_notices"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="hsds_source",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                help_text="HSDS 取込で受け取った団体の入れ子の id（電話・窓口・法人番号。再出力で同じ値を書くため）。",
                verbose_name="HSDS 取込元の id",
            ),
        ),
    ]
