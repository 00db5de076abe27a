"""Resident reports get a workflow: 未対応・対応中・対応済み・対応不要, the member's reply note,
the 事務局's forward note and time, and a flag for a notice that could not be delivered.

Reports the 事務局 had marked 「団体に連絡済み」 (forwarded) are now 対応中: the member was told
and has not closed them yet.
"""

from django.db import migrations, models

import core.pii


def forwarded_to_in_progress(apps, schema_editor):
    report = apps.get_model("directory", "ListingReport")
    report.objects.filter(status="forwarded").update(status="in_progress")


def in_progress_to_forwarded(apps, schema_editor):
    report = apps.get_model("directory", "ListingReport")
    report.objects.filter(status="in_progress").update(status="forwarded")
    report.objects.filter(status="not_needed").update(status="resolved")


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0005_listing_age_range"),
    ]

    operations = [
        migrations.AddField(
            model_name="listingreport",
            name="forward_note",
            field=models.TextField(
                blank=True,
                help_text="事務局が団体に転送したときに添えたメモ。",
                max_length=1000,
                verbose_name="事務局からのメモ",
            ),
        ),
        migrations.AddField(
            model_name="listingreport",
            name="forwarded_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="事務局が転送した日時"),
        ),
        migrations.AddField(
            model_name="listingreport",
            name="notice_failed",
            field=models.BooleanField(
                default=False,
                help_text="編集者がいない、またはメールを送れなかったとき。事務局が団体に伝えてください。",
                verbose_name="団体に通知できなかった",
            ),
        ),
        migrations.AddField(
            model_name="listingreport",
            name="reply_note",
            field=models.TextField(
                blank=True,
                help_text="どう対応したか（事務局も読みます）。個人が特定できる情報は書かないでください。",
                max_length=1000,
                validators=[core.pii.validate_no_personal_information],
                verbose_name="団体の対応メモ",
            ),
        ),
        migrations.AlterField(
            model_name="listingreport",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "未対応"),
                    ("in_progress", "対応中"),
                    ("resolved", "対応済み"),
                    ("not_needed", "対応不要"),
                ],
                default="open",
                max_length=20,
                verbose_name="対応状況",
            ),
        ),
        migrations.RunPython(forwarded_to_in_progress, in_progress_to_forwarded),
    ]
