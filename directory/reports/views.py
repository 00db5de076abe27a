"""Resident reports 「情報の誤りを報告」: what is wrong with a listing, never who reported it.

A saved report is mailed to the listing's member editors (directory.reports.notify).
"""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from core.forms import forget_refused_text, set_choices
from core.limits import limited
from core.pii import validate_no_personal_information
from directory.models import ListingPage, ListingReport
from directory.models.listings import find_visible_listing
from directory.reports import notify


class ListingReportForm(forms.ModelForm):
    class Meta:
        model = ListingReport
        fields = ["reason", "message"]
        widgets = {"reason": forms.RadioSelect, "message": forms.Textarea(attrs={"rows": 5})}
        help_texts = {
            "message": gettext_lazy(
                "どこが違うかを、500字以内で書いてください。"
                "お名前・連絡先・ご自身や他の方の相談内容は、書かないでください。"
                "お返事はできません。"
            )
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "reason", ListingReport.Reason.choices)
        self.fields["message"].validators.append(validate_no_personal_information)
        self.fields["message"].widget.attrs["maxlength"] = 500


def live_listing(uuid: UUID) -> ListingPage:
    """The published listing (`for_open_data()`, any status) with this UUID, or 404."""
    listing = find_visible_listing(uuid, open_data=True)
    if listing is None:
        raise Http404("掲載が見つかりません。")
    return listing


@never_cache
@csrf_protect
@limited("form", methods=("POST",))
def report(request: HttpRequest, uuid: UUID) -> HttpResponse:
    listing = live_listing(uuid)
    form = ListingReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.page = listing
        notify.notify_editors(form.save())
        return redirect("listing-report-thanks", uuid=listing.uuid)
    if form.is_bound:
        forget_refused_text(form, ["message"])
    context = {"form": form, "listing": listing}
    return render(request, "directory/reports/report.html", context)


def thanks(request: HttpRequest, uuid: UUID) -> HttpResponse:
    listing = live_listing(uuid)
    return render(request, "directory/reports/thanks.html", {"listing": listing})
