"""The 事務局's 「データ取込」: upload a CSV or HSDS file, read the dry run, confirm, follow it.

The runs themselves are exchange.upload_jobs (the same importers as the import_* commands, in
their own process); these views validate the upload, show progress and reports, and list the
listings an import left 要確認 (`review_notes`, the same rule as the dashboard). Only the
事務局 (directory.membership.access.is_secretariat) reaches any of them.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import path, reverse
from django.views.generic import View
from wagtail.admin import messages
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from directory.membership import access
from directory.models import ListingPage, Member, MemberPage, MemberStatus, listing_page_models
from exchange import upload_jobs
from exchange.opendata.columns import FORMATS

UPLOAD_URL_NAME = "exchange_import_upload"
JOB_URL_NAME = "exchange_import_job"
REVIEW_URL_NAME = "exchange_review_listings"
MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
ROWS_PER_PAGE = 200
REVIEW_PER_PAGE = 50
CSV_SUFFIXES = (".csv", ".tsv", ".txt")
HSDS_SUFFIXES = (".json", ".zip")


class SecretariatOnly(WagtailAdminTemplateMixin, View):
    """Every view here: the 事務局 only (access.is_secretariat), anyone else 403."""

    header_icon = "upload"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not access.is_secretariat(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def kind_choices() -> list[tuple[str, str]]:
    return [
        *((slug, f"{fmt.label}（CSV）") for slug, fmt in sorted(FORMATS.items())),
        (upload_jobs.HSDS, "HSDS 3.0（JSON、または datapackage の zip）"),
    ]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="ファイルの種類", choices=kind_choices)
    file = forms.FileField(
        label="ファイル",
        help_text=f"CSV（.csv）、HSDS の JSON（.json）または zip（.zip）。{MAX_UPLOAD_MB} MB まで。",
        error_messages={
            "required": "取り込むファイルを選んでください。",
            "empty": "ファイルが空です（0 バイト）。中身のあるファイルを選んでください。",
            "invalid": "ファイルを受け取れませんでした。もう一度選んでください。",
        },
    )
    member = forms.ModelChoiceField(
        label="掲載を登録する会員団体（CSV のみ・任意）",
        queryset=Member.objects.filter(status=MemberStatus.APPROVED).order_by("kana", "name"),
        required=False,
        empty_label="主催者の列から決める",
    )
    draft = forms.BooleanField(
        label="下書きとして取り込む（公開せず、確認してから公開します）",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        upload = data.get("file")
        kind = data.get("kind")
        if upload is None or kind is None:
            return data
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"ファイルが大きすぎます（{upload.size / 1024 / 1024:.1f} MB、上限 {MAX_UPLOAD_MB} MB）。"
                "いくつかのファイルに分けて取り込んでください。"
            )
        content = upload.read()
        data["content"] = content
        problem = (
            hsds_problem(upload.name, content)
            if kind == upload_jobs.HSDS
            else csv_problem(upload.name, content)
        )
        if problem:
            raise forms.ValidationError(problem)
        return data


def csv_problem(name: str, content: bytes) -> str:
    """Why a file cannot be an open-data CSV, or ""."""
    if Path(name).suffix.lower() not in CSV_SUFFIXES:
        return "CSV ファイル（.csv）を選んでください。Excel の場合は「CSV（UTF-8）」で保存し直してください。"
    if content.startswith(b"PK\x03\x04") or b"\x00\x00" in content[:4096]:
        return (
            "CSV として読めません（Excel などの形式のようです）。"
            "表計算ソフトで「CSV（UTF-8）」として保存し直してください。"
        )
    if not content.strip(b" \t\r\n\xef\xbb\xbf,"):
        return "ファイルに行がありません。見出し行とデータの行がある CSV を選んでください。"
    return ""


def hsds_problem(name: str, content: bytes) -> str:
    """Why a file cannot be an HSDS file, or "" (the importer reads the rest of its shape)."""
    suffix = Path(name).suffix.lower()
    if suffix not in HSDS_SUFFIXES:
        return "HSDS は JSON（.json）か、datapackage.json と CSV をまとめた zip（.zip）を選んでください。"
    if suffix == ".zip":
        if not zipfile.is_zipfile(io.BytesIO(content)):
            return "zip ファイルとして読めません。壊れていないかご確認ください。"
        return ""
    try:
        json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        return "JSON として読めません。UTF-8 の JSON ファイルかご確認ください。"
    return ""


class UploadView(SecretariatOnly):
    """The form; a valid file is kept and its dry run started, then its page is shown."""

    template_name = "exchange/admin/imports/upload.html"
    page_title = "データ取込"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(UploadForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "ファイルを確認してください。")
            return self.render_form(form)
        data = form.cleaned_data
        csv_options = data["kind"] != upload_jobs.HSDS
        job = upload_jobs.create(
            data["content"],
            kind=data["kind"],
            filename=data["file"].name,
            member=data["member"] if csv_options else None,
            draft=data["draft"],
        )
        upload_jobs.start(job, real=False)
        return redirect(JOB_URL_NAME, job.token)

    def render_form(self, form: UploadForm) -> HttpResponse:
        return self.render_to_response(
            self.get_context_data(
                form=form, max_mb=MAX_UPLOAD_MB, review_url=reverse(REVIEW_URL_NAME)
            )
        )


class JobView(SecretariatOnly):
    """One upload: progress while it runs, the dry-run report with 取り込む, the final report."""

    template_name = "exchange/admin/imports/job.html"
    page_title = "データ取込"

    def setup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().setup(request, *args, **kwargs)
        job = upload_jobs.load(kwargs["token"])
        if job is None:
            raise Http404("この取込は見つかりません（期限切れの可能性があります）。")
        self.job = job

    def get_page_subtitle(self) -> str:
        return self.job.filename

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        job = self.job
        report = job.report or job.dry_report
        show_all = request.GET.get("rows") == "all"
        rows = report.get("rows", [])
        if not show_all:
            rows = [row for row in rows if row["outcome"] in ("review", "error")]
        page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("p"))
        eta = job.eta_seconds()
        return self.render_to_response(
            self.get_context_data(
                job=job,
                kind_label=dict(kind_choices()).get(job.kind, job.kind),
                member=Member.objects.filter(pk=job.member_id).first() if job.member_id else None,
                report=report,
                outcomes=[
                    (key, label, report.get("counts", {}).get(key, 0))
                    for key, label in upload_jobs.OUTCOMES.items()
                ],
                labels=upload_jobs.OUTCOMES,
                rows=page,
                show_all=show_all,
                rate=f"{job.rate():.1f}",
                eta=_duration(eta) if eta is not None else "",
                upload_url=reverse(UPLOAD_URL_NAME),
                review_url=reverse(REVIEW_URL_NAME),
            )
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """取り込む: the real import of the file the dry run read, once."""
        job = self.job
        if job.state != upload_jobs.CHECKED or not upload_jobs.claim_import(job):
            messages.error(
                request, "この取込はもう実行できません。ファイルをもう一度選んでください。"
            )
            return redirect(JOB_URL_NAME, job.token)
        upload_jobs.start(job, real=True)
        return redirect(JOB_URL_NAME, job.token)


def _duration(seconds: int) -> str:
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}分{seconds}秒" if minutes else f"{seconds}秒"


class ReviewFilterForm(forms.Form):
    member = forms.ModelChoiceField(
        label="会員団体",
        queryset=Member.objects.order_by("kana", "name"),
        required=False,
        empty_label="すべて",
    )
    reason = forms.CharField(label="理由に含む語", required=False, max_length=100)
    since = forms.DateField(
        label="取込・更新日（から）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label="取込・更新日（まで）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


def review_listings(
    *,
    member: Member | None = None,
    reason: str = "",
    since: date | None = None,
    until: date | None = None,
) -> list[ListingPage]:
    """Listings with a 要確認 note (`review_notes`), newest change first, of every kind."""
    owner = MemberPage.objects.filter(member=member).first() if member else None
    if member is not None and owner is None:
        return []
    found: list[ListingPage] = []
    for model in listing_page_models():
        listings = model.objects.exclude(review_notes__regex=r"^\s*$")
        if owner is not None:
            listings = listings.filter(path__startswith=owner.path)
        if reason:
            listings = listings.filter(review_notes__icontains=reason)
        if since:
            listings = listings.filter(latest_revision_created_at__date__gte=since)
        if until:
            listings = listings.filter(latest_revision_created_at__date__lte=until)
        found += listings
    return sorted(found, key=lambda page: page.latest_revision_created_at or 0, reverse=True)


class ReviewListView(SecretariatOnly):
    """「要確認の掲載」: what imports flagged, filtered by member, reason and date."""

    template_name = "exchange/admin/imports/review.html"
    page_title = "要確認の掲載"
    header_icon = "warning"

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ReviewFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        listings = review_listings(**{key: value for key, value in filters.items() if value})
        page = Paginator(listings, REVIEW_PER_PAGE).get_page(request.GET.get("p"))
        query = request.GET.copy()
        query.pop("p", None)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                listings=[(listing, listing.get_parent().title) for listing in page],
                page=page,
                count=len(listings),
                query=query.urlencode(),
                upload_url=reverse(UPLOAD_URL_NAME),
            )
        )


def admin_urls() -> list[Any]:
    """register_admin_urls."""
    return [
        path("imports/", UploadView.as_view(), name=UPLOAD_URL_NAME),
        path("imports/<str:token>/", JobView.as_view(), name=JOB_URL_NAME),
        path("imports-review/", ReviewListView.as_view(), name=REVIEW_URL_NAME),
    ]


class SecretariatMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return access.is_secretariat(request.user)


class SecretariatSubmenu(SubmenuMenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return access.is_secretariat(request.user)


def imports_menu_item() -> SubmenuMenuItem:
    """register_admin_menu_item: 「データ取込」 (取り込む・要確認の掲載) for the 事務局."""
    menu = Menu(
        items=[
            SecretariatMenuItem("ファイルを取り込む", reverse(UPLOAD_URL_NAME), icon_name="upload"),
            SecretariatMenuItem("要確認の掲載", reverse(REVIEW_URL_NAME), icon_name="warning"),
        ]
    )
    return SecretariatSubmenu("データ取込", menu, icon_name="upload", name="imports", order=210)
